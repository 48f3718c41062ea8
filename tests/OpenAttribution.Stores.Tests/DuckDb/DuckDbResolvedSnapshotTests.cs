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
        var writer = new StringWriter();
        Core.Generation.EventGenerator.Write(writer, new Core.Generation.GeneratorOptions { People = 500, Seed = 8 });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var rows = lines.Skip(1).OrderBy(l => (uint)l.GetHashCode(StringComparison.Ordinal) ^ 0x2545f491u).ToList();
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

    /// <summary>
    /// A store that stays open compacts its delta in the background: a full build beside the snapshot
    /// while imports, updates and reports go on, swapped in afterwards, then the events stored meanwhile
    /// applied as an update. Every report, during the build and after the swap, equals a full build of
    /// the events so far to the bit; a compaction overtaken by a full build is dropped.
    /// </summary>
    [Fact]
    public async Task CompactionsInTheBackgroundEqualAFullBuild()
    {
        var writer = new StringWriter();
        Core.Generation.EventGenerator.Write(writer, new Core.Generation.GeneratorOptions { People = 400, Seed = 11 });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var rows = lines.Skip(1).OrderBy(l => (uint)l.GetHashCode(StringComparison.Ordinal) ^ 0x3c6ef372u).ToList();
        using var store = new DuckDbEventStore(Path.Combine(_folder, "compact.duckdb")) { CompactionShare = 1 };
        var at = 0;
        void ImportNext(int size)
        {
            var part = rows.Skip(at).Take(size).ToList();
            at += part.Count;
            Import(store, header + "\n" + string.Join('\n', part));
        }

        void AssertSoFar() => AssertSameAsFile(store, header + "\n" + string.Join('\n', rows.Take(at)), Core.Channels.ChannelGrouping.Default);

        ImportNext(rows.Count / 3);
        Assert.Equal(Stores.Snapshot.SnapshotRefresh.Full, store.EnsureSnapshot());
        store.CompactionShare = 0;
        ImportNext(7);
        Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, store.EnsureSnapshot());
        Assert.Null(store.Compaction); // one update: a store that may not stay open does not compact
        store.CompactionShare = 1;
        ImportNext(7);
        Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, store.EnsureSnapshot());

        var overtake = false;
        store.BeforeSwap = () =>
        {
            // Meanwhile: an update of the snapshot being replaced, a report of it, events left for
            // after the swap, and once a full build that overtakes the compaction. The share goes back
            // up, so that only the update before each round's await starts a compaction.
            store.CompactionShare = 1;
            ImportNext(25);
            Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, store.EnsureSnapshot());
            AssertSoFar();
            ImportNext(40);
            if (overtake)
            {
                using var connection = store.Connect();
                DuckDbSnapshot.Build(connection);
            }
        };

        var builds = new HashSet<string>();
        foreach (var round in Enumerable.Range(0, 4))
        {
            overtake = round == 2;
            store.CompactionShare = 0;
            ImportNext(11);
            Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, store.EnsureSnapshot());
            var compaction = store.Compaction;
            Assert.NotNull(compaction);
            var swapped = await compaction!;
            Assert.Equal(!overtake, swapped);
            Assert.True(builds.Add(Build(store)), "a compaction or full build writes a new build id");
            var refresh = store.EnsureSnapshot();
            Assert.Equal(overtake ? Stores.Snapshot.SnapshotRefresh.Current : Stores.Snapshot.SnapshotRefresh.Incremental, refresh);
            AssertSoFar();
            using var check = store.Connect();
            Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%" + DuckDbSnapshot.BesideSuffix + "'"));
        }

        Assert.True(at < rows.Count);
        ImportNext(rows.Count);
        store.EnsureSnapshot();
        AssertSoFar();
    }

    private static string Build(DuckDbEventStore store)
    {
        using var connection = store.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT build FROM snapshot_meta";
        return (string)command.ExecuteScalar()!;
    }

    private static long Scalar(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
