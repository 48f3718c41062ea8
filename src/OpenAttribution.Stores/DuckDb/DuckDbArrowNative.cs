using System.Runtime.InteropServices;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The one unsafe piece of the Arrow import: exporting a managed <see cref="IArrowArrayStream"/> as an
/// Arrow C stream (a native struct) and registering it with DuckDB as a view (<c>duckdb_arrow_scan</c>).
/// Unsafe because Apache.Arrow's C Data Interface takes struct pointers.
/// </summary>
internal static unsafe class DuckDbArrowNative
{
    [DllImport("duckdb", EntryPoint = "duckdb_arrow_scan", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ArrowScan(IntPtr connection, [MarshalAs(UnmanagedType.LPUTF8Str)] string tableName, IntPtr stream);

    /// <summary>Exports <paramref name="stream"/> and registers it as view <paramref name="view"/>; returns the C stream to free after the scan.</summary>
    public static IntPtr Register(IntPtr connection, string view, IArrowArrayStream stream)
    {
        var c = CArrowArrayStream.Create();
        CArrowArrayStreamExporter.ExportArrayStream(stream, c);
        if (ArrowScan(connection, view, (IntPtr)c) != 0)
        {
            CArrowArrayStream.Free(c);
            throw new InvalidOperationException("duckdb_arrow_scan failed");
        }

        return (IntPtr)c;
    }

    public static void Free(IntPtr stream) => CArrowArrayStream.Free((CArrowArrayStream*)stream);
}
