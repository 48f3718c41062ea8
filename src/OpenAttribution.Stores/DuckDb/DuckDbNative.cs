using System.Runtime.InteropServices;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The few DuckDB C API calls the bulk paths need, declared with <see cref="IntPtr"/> instead of
/// pointers so that this project needs no unsafe code. They bind to the native library DuckDB.NET
/// loads (<c>libduckdb</c> from the DuckDB.NET.Bindings.Full package): this assembly's imports of
/// <c>duckdb</c> are probed for as the bindings assembly's own are (its native assets in the app's
/// dependencies), so a libduckdb elsewhere on the machine (another version, with other struct
/// layouts) is not the one called. A resolver the bindings might register themselves is not
/// consulted: DuckDB.NET 1.5.6.1 registers none, and a test checks that both load the same handle.
/// </summary>
internal static class DuckDbNative
{
    public const string Library = "duckdb";

    static DuckDbNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(DuckDbNative).Assembly, Resolve);
    }

    /// <summary>Makes sure the resolver is in place before any import of this assembly is first called.</summary>
    public static void EnsureResolver()
    {
    }

    /// <summary>The library DuckDB.NET's bindings load for <c>duckdb</c>; other names resolve as usual.</summary>
    internal static IntPtr Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? NativeLibrary.Load(Library, typeof(DuckDB.NET.Native.NativeMethods).Assembly, searchPath) : IntPtr.Zero;

    /// <summary>Rows per data chunk (<c>duckdb_vector_size</c>, 2048 in every release so far).</summary>
    public static readonly int VectorSize = checked((int)DuckDB.NET.Native.NativeMethods.Helpers.DuckDBVectorSize());

    /// <summary>Size of a <c>duckdb_string_t</c>: a length, then 12 inline bytes or a 4-byte prefix and a pointer.</summary>
    public const int StringSize = 16;

    /// <summary>Longest string stored inline in a <c>duckdb_string_t</c>.</summary>
    public const int InlineLength = 12;

    [DllImport(Library, EntryPoint = "duckdb_vector_get_data", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern IntPtr VectorGetData(IntPtr vector);

    /// <summary>The validity bit mask of a vector (one bit per row, 1 = valid), or zero when every row is valid.</summary>
    [DllImport(Library, EntryPoint = "duckdb_vector_get_validity", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern IntPtr VectorGetValidity(IntPtr vector);

    [DllImport(Library, EntryPoint = "duckdb_vector_ensure_validity_writable", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern void VectorEnsureValidityWritable(IntPtr vector);
}
