using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Tests.DuckDb;

/// <summary>The resolved snapshot contract on a fresh temporary DuckDB file per test.</summary>
public sealed class DuckDbResolvedSnapshotTests : ResolvedSnapshotContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-snapshot-tests-" + Guid.NewGuid().ToString("N"));

    protected override IEventStore Open() => new DuckDbEventStore(Path.Combine(_folder, "store.duckdb"));

    protected override Stores.Snapshot.SnapshotRefresh AfterASmallImport => Stores.Snapshot.SnapshotRefresh.Incremental;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
