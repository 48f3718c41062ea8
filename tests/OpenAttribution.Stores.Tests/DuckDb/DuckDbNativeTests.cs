using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Tests.DuckDb;

/// <summary>The native pieces under the DuckDB store: which library they call, what they copy, and the shared Arrow schema.</summary>
public sealed class DuckDbNativeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-duckdb-native-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void TheStoresImportsOfDuckDbBindTheLibraryDuckDbNetLoads()
    {
        DuckDbNative.EnsureResolver();
        var bindings = typeof(NativeMethods).Assembly;
        Assert.Equal(NativeLibrary.Load("duckdb", bindings, null), DuckDbNative.Resolve("duckdb", typeof(DuckDbNative).Assembly, null));
        Assert.Equal(IntPtr.Zero, DuckDbNative.Resolve("libc", typeof(DuckDbNative).Assembly, null));

        // The resolver is in place: the runtime takes only one per assembly.
        Assert.Throws<InvalidOperationException>(() => NativeLibrary.SetDllImportResolver(typeof(DuckDbNative).Assembly, (_, _, _) => IntPtr.Zero));
        Assert.Equal(2048, DuckDbNative.VectorSize);
    }

    [Fact]
    public void AColumnOfAnotherTypeThanTheCopyExpectsIsAnErrorNamingIt()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var rows = 0;
        DuckDbChunks.Stream(connection, "SELECT 7::INTEGER AS person, 2.5::DOUBLE AS value", [DuckDBType.Integer, DuckDBType.Double], (_, n) => rows += n, default);
        Assert.Equal(1, rows);

        var wider = Assert.Throws<InvalidDataException>(() =>
            DuckDbChunks.Stream(connection, "SELECT 7::BIGINT AS person, 2.5::DOUBLE AS value", [DuckDBType.Integer, DuckDBType.Double], (_, _) => rows++, default));
        Assert.Contains("column 1 (person) is BigInt, not Integer", wider.Message, StringComparison.Ordinal);
        var fewer = Assert.Throws<InvalidDataException>(() =>
            DuckDbChunks.Stream(connection, "SELECT 7::INTEGER AS person", [DuckDBType.Integer, DuckDBType.Double], (_, _) => rows++, default));
        Assert.Contains("1 columns where 2 were expected", fewer.Message, StringComparison.Ordinal);
        Assert.Equal(1, rows);
    }

    [Fact]
    public void DuckDbLeavesTheSharedSchemaWholeAcrossManyImports()
    {
        var shared = DuckDbImport.SharedSchema;
        var before = DuckDbArrowNative.Children(shared);
        Assert.All(before, c => Assert.True(c.Live));
        var released = DuckDbArrowNative.SchemaReleases;
        using (var store = new DuckDbEventStore(Path.Combine(_folder, "store.duckdb")))
        {
            for (var i = 0; i < 30; i++)
            {
                using var import = store.BeginImport();
                using var reader = new StringReader(
                    "event_id,timestamp,user_id,anonymous_id,type,channel\n" + $"e{i},2026-03-01T09:00:00Z,u{i},,touch,Email\n");
                Core.Events.CsvEventReader.Read(reader, new Sink(import));
                import.Commit();
            }

            Assert.Equal(30, store.CountEvents());
        }

        // DuckDB (1.5) never releases the schema copies it is handed, not even through the callback
        // that frees nothing, and it leaves the shared export's children as they were: not released,
        // their formats readable. A DuckDB that released them would show here first: the top-level
        // copies through that callback (harmless), their shared children by clearing them (not).
        Assert.Equal(released, DuckDbArrowNative.SchemaReleases);
        Assert.Equal(before, DuckDbArrowNative.Children(shared));
    }

    private sealed class Sink(IStoreImport import) : Core.Events.IEventSink
    {
        public void Accept(in Core.Events.EventRow row) => import.Add(row);

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
