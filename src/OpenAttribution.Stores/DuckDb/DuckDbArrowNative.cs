using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The one unsafe piece of the Arrow import: exporting a managed <see cref="IArrowArrayStream"/> as an
/// Arrow C stream (a native struct) and registering it with DuckDB as a view (<c>duckdb_arrow_scan</c>).
/// Unsafe because Apache.Arrow's C Data Interface takes struct pointers.
/// <para>
/// <c>duckdb_arrow_scan</c> asks the stream for its schema several times (to register it, at each
/// bind) and never releases what it gets: a schema exported by Apache.Arrow each time would leak its
/// native nodes and strings on every import (about 14 KB; a server commits many small imports). So
/// the stream DuckDB sees is a thin wrapper whose <c>get_schema</c> hands out a shallow copy of one
/// schema exported once per process, with a release that frees nothing; its batches come from the
/// exported managed stream, released with the wrapper.
/// </para>
/// </summary>
internal static unsafe class DuckDbArrowNative
{
    static DuckDbArrowNative()
    {
        DuckDbNative.EnsureResolver();
    }

    [DllImport(DuckDbNative.Library, EntryPoint = "duckdb_arrow_scan", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ArrowScan(IntPtr connection, [MarshalAs(UnmanagedType.LPUTF8Str)] string tableName, IntPtr stream);

    /// <summary>The C ABI's <c>struct ArrowArrayStream</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeStream
    {
        public delegate* unmanaged<NativeStream*, NativeSchema*, int> GetSchema;
        public delegate* unmanaged<NativeStream*, void*, int> GetNext;
        public delegate* unmanaged<NativeStream*, byte*> GetLastError;
        public delegate* unmanaged<NativeStream*, void> Release;
        public void* PrivateData;
    }

    /// <summary>The C ABI's <c>struct ArrowSchema</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeSchema
    {
        public byte* Format;
        public byte* Name;
        public byte* Metadata;
        public long Flags;
        public long ChildCount;
        public NativeSchema** Children;
        public NativeSchema* Dictionary;
        public delegate* unmanaged<NativeSchema*, void> Release;
        public void* PrivateData;
    }

    /// <summary>
    /// Exports <paramref name="schema"/> once, for the life of the process (the import's schema is a
    /// constant): every stream registered with it hands out copies of this export.
    /// </summary>
    public static IntPtr ExportForever(Schema schema)
    {
        var c = CArrowSchema.Create();
        CArrowSchemaExporter.ExportSchema(schema, c);
        return (IntPtr)c;
    }

    /// <summary>
    /// Registers <paramref name="stream"/>, whose schema is <paramref name="exportedSchema"/>
    /// (<see cref="ExportForever"/>), as view <paramref name="view"/>; returns the C stream to
    /// <see cref="Free"/> after the scan.
    /// </summary>
    public static IntPtr Register(IntPtr connection, string view, IArrowArrayStream stream, IntPtr exportedSchema)
    {
        var inner = CArrowArrayStream.Create();
        CArrowArrayStreamExporter.ExportArrayStream(stream, inner);
        var outer = (NativeStream*)NativeMemory.AllocZeroed((nuint)sizeof(NativeStream));
        outer->GetSchema = &GetSchema;
        outer->GetNext = &GetNext;
        outer->GetLastError = &GetLastError;
        outer->Release = &Release;
        var wrapped = (Wrapped*)NativeMemory.Alloc((nuint)sizeof(Wrapped));
        *wrapped = new Wrapped(inner, (NativeSchema*)exportedSchema);
        outer->PrivateData = wrapped;
        if (ArrowScan(connection, view, (IntPtr)outer) != 0)
        {
            Free((IntPtr)outer);
            throw new InvalidOperationException("duckdb_arrow_scan failed");
        }

        return (IntPtr)outer;
    }

    /// <summary>Releases the stream (and the exported managed stream in it) unless DuckDB did, and frees it.</summary>
    public static void Free(IntPtr stream)
    {
        var outer = (NativeStream*)stream;
        if (outer->Release != null)
        {
            outer->Release(outer);
        }

        NativeMemory.Free(outer);
    }

    /// <summary>What the wrapper's private data points to: the exported managed stream and the shared schema.</summary>
    private readonly struct Wrapped(CArrowArrayStream* inner, NativeSchema* schema)
    {
        public readonly CArrowArrayStream* Inner = inner;
        public readonly NativeSchema* Schema = schema;
    }

    [UnmanagedCallersOnly]
    private static int GetSchema(NativeStream* stream, NativeSchema* output)
    {
        *output = *((Wrapped*)stream->PrivateData)->Schema;
        output->Release = &ReleaseNothing;
        output->PrivateData = null;
        return 0;
    }

    [UnmanagedCallersOnly]
    private static void ReleaseNothing(NativeSchema* schema)
    {
        schema->Release = null;
        Interlocked.Increment(ref s_schemaReleases);
    }

    private static long s_schemaReleases;

    /// <summary>How many copies of the shared schema DuckDB has released (through <see cref="ReleaseNothing"/>).</summary>
    internal static long SchemaReleases => Interlocked.Read(ref s_schemaReleases);

    /// <summary>The format string of each child of an exported schema, and whether each child is still unreleased.</summary>
    internal static (string Format, bool Live)[] Children(IntPtr exportedSchema)
    {
        var schema = (NativeSchema*)exportedSchema;
        var children = new (string, bool)[schema->ChildCount];
        for (var i = 0; i < children.Length; i++)
        {
            var child = schema->Children[i];
            children[i] = (Marshal.PtrToStringUTF8((IntPtr)child->Format) ?? "", child->Release != null);
        }

        return children;
    }

    [UnmanagedCallersOnly]
    private static int GetNext(NativeStream* stream, void* output)
    {
        var inner = (NativeStream*)((Wrapped*)stream->PrivateData)->Inner;
        return inner->GetNext(inner, output);
    }

    [UnmanagedCallersOnly]
    private static byte* GetLastError(NativeStream* stream)
    {
        var inner = (NativeStream*)((Wrapped*)stream->PrivateData)->Inner;
        return inner->GetLastError(inner);
    }

    [UnmanagedCallersOnly]
    private static void Release(NativeStream* stream)
    {
        var wrapped = (Wrapped*)stream->PrivateData;
        CArrowArrayStream.Free(wrapped->Inner);
        NativeMemory.Free(wrapped);
        stream->PrivateData = null;
        stream->Release = null;
    }
}
