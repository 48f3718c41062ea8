using Npgsql;
using OpenAttribution.Core.Channels;
using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores.Tests.PostgreSql;

/// <summary>
/// The resolved snapshot contract in a fresh schema per test (dropped afterwards), plus what is
/// PostgreSQL's own: several chunks, reads beside an open import, a snapshot lost to a server restart. Skipped with the suite when the server is missing.
/// </summary>
[PostgresFact]
public sealed class PostgreSqlResolvedSnapshotTests : ResolvedSnapshotContract, IDisposable
{
    private readonly List<string> _schemas = [];

    protected override IEventStore Open()
    {
        PostgresTestServer.EnsureReachable();
        var schema = "oa_snap_" + Guid.NewGuid().ToString("N")[..16];
        _schemas.Add(schema);
        return new PostgreSqlEventStore(PostgresTestServer.WithSchema(schema));
    }

    protected override Stores.Snapshot.SnapshotRefresh AfterASmallImport => Stores.Snapshot.SnapshotRefresh.Incremental;

    public void Dispose() => PostgresTestServer.DropSchemas(_schemas);

    [StoreFact]
    public void EventsOverSeveralChunksGiveTheSameCredits()
    {
        var writer = new StringWriter();
        Core.Generation.EventGenerator.Write(writer, new Core.Generation.GeneratorOptions { People = 25_000, Seed = 3 });
        var csv = writer.ToString();
        using var store = Open();
        Import(store, csv);
        Assert.True(store.CountEvents() > PostgreSqlSnapshot.ChunkRows, "the file should fill more than one chunk");
        AssertSameAsFile(store, csv, ChannelGrouping.Default);
    }

    [StoreFact]
    public void AReadBesideAnOpenImportSeesOnlyCommittedEventsAndTheCommitRebuildsTheSnapshot()
    {
        using var store = Open();
        Import(store, Header + "\ne1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n");
        using (var import = store.BeginImport())
        {
            Add(import, Header + "\ne2,2026-03-02T09:00:00Z,u1,,conversion,,,,,,,,,purchase,5\n");
            Assert.Equal(1, Resolved(store, ChannelGrouping.Default).Count);
            import.Commit();
        }

        Assert.Equal(2, Resolved(store, ChannelGrouping.Default).Count);
    }

    [StoreFact]
    public void ASnapshotEmptiedByAServerRestartIsRebuilt()
    {
        using var store = Open();
        Import(store, Header + "\ne1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\ne2,2026-03-02T09:00:00Z,u1,,conversion,,,,,,,,,purchase,5\n");
        Assert.Equal(2, Resolved(store, ChannelGrouping.Default).Count);

        // Unlogged tables come back empty after a crash: the same as truncating them.
        using (var connection = PostgresTestServer.Connect())
        {
            using var truncate = new NpgsqlCommand(
                $"TRUNCATE \"{_schemas[^1]}\".snapshot_meta, \"{_schemas[^1]}\".snapshot_chunks, \"{_schemas[^1]}\".snapshot_sources, \"{_schemas[^1]}\".snapshot_conversions",
                connection);
            truncate.ExecuteNonQuery();
        }

        Assert.Equal(2, Resolved(store, ChannelGrouping.Default).Count);
    }
}
