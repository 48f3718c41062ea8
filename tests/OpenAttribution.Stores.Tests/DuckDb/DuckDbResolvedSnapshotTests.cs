using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Tests.DuckDb;

/// <summary>The resolved snapshot contract on a fresh temporary DuckDB file per test.</summary>
public sealed class DuckDbResolvedSnapshotTests : ResolvedSnapshotContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-snapshot-tests-" + Guid.NewGuid().ToString("N"));

    protected override IEventStore Open() => new DuckDbEventStore(Path.Combine(_folder, "store.duckdb"));

    protected override Stores.Snapshot.SnapshotRefresh AfterASmallImport => Stores.Snapshot.SnapshotRefresh.Incremental;

    /// <summary>
    /// From its second update on, a store loads the base people into memory and its updates then find
    /// the batch's people there: with them, every report still equals a full build of the events so far.
    /// </summary>
    [Fact]
    public async Task UpdatesThatFindBasePeopleInMemoryEqualAFullBuild()
    {
        var (header, rows) = ShuffledGeneratedRows(people: 500, seed: 8, salt: 0x2545f491u);
        using var store = new DuckDbEventStore(Path.Combine(_folder, "memory.duckdb"));
        var at = 0;
        foreach (var (size, i) in new[] { rows.Count / 2, 3, 5, 20, 60, 1, 200 }.Select((n, i) => (n, i)))
        {
            var part = rows.Skip(at).Take(size).ToList();
            at += part.Count;
            Import(store, header + "\n" + string.Join('\n', part));
            Assert.Equal(i == 0 ? Stores.Snapshot.SnapshotRefresh.Full : Stores.Snapshot.SnapshotRefresh.Incremental, store.EnsureSnapshot());
            if (i == 2)
            {
                // The second update started the load; the ones after it use the people in memory.
                Assert.NotNull(store.BasePeopleLoad);
                await store.BasePeopleLoad!;
                Assert.NotNull(store.BasePeopleBuild);
            }

            AssertSameAsFile(store, header + "\n" + string.Join('\n', rows.Take(at)), Core.Channels.ChannelGrouping.Default);
        }

        Assert.NotNull(store.BasePeopleBuild);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
