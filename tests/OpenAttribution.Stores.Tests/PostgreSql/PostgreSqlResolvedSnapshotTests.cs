using Npgsql;
using OpenAttribution.Core.Channels;
using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores.Tests.PostgreSql;

/// <summary>
/// The resolved snapshot contract in a fresh schema per test (dropped afterwards), plus what is
/// PostgreSQL's own: the SQL reduction of URLs, reads beside an open import, a snapshot lost to a
/// server restart. Skipped with the suite when the server is missing.
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

    public void Dispose()
    {
        if (_schemas.Count == 0 || PostgresTestServer.Unreachable is not null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = PostgresTestServer.Connect();
        foreach (var schema in _schemas)
        {
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    [StoreFact]
    public void TheSqlReductionOfAUrlEqualsTrafficUrlReduce()
    {
        string[] urls =
        [
            "https://shop.example/a/b?utm_source=x&utm_medium=y#frag",
            "https://shop.example",
            "https://shop.example/",
            "https://shop.example?x=1",
            "https://shop.example#top?utm_source=news",
            "https://shop.example/x/y#top?utm_source=news&utm_medium=email",
            "https://user:pw@shop.example:8080/p?q=1",
            "shop.example/a?utm_source=x",
            "/relative/path?utm_source=x",
            "?utm_source=x://y/z",
            "a?b://c/d?e",
            "a:://b/c?d",
            "ftp://h/p://q/r?s",
            "https://shöp.example/päth?ü=1",
            "https://h/p?a?b",
            "https://h/??",
            "://",
            ":///x?y",
            "https://",
            "line\nbreak://h/p?q",
            "x",
        ];
        using var connection = PostgresTestServer.Connect();
        using var command = new NpgsqlCommand($"SELECT {PostgreSqlTrafficUrl.Reduce("@u")}", connection);
        var parameter = new NpgsqlParameter<string>("u", NpgsqlTypes.NpgsqlDbType.Text);
        command.Parameters.Add(parameter);
        foreach (var url in urls)
        {
            parameter.TypedValue = url;
            Assert.Equal(TrafficUrl.Reduce(url), (string)command.ExecuteScalar()!);
        }
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
                $"TRUNCATE \"{_schemas[^1]}\".snapshot_meta, \"{_schemas[^1]}\".snapshot_events, \"{_schemas[^1]}\".snapshot_sources, \"{_schemas[^1]}\".snapshot_conversions",
                connection);
            truncate.ExecuteNonQuery();
        }

        Assert.Equal(2, Resolved(store, ChannelGrouping.Default).Count);
    }
}
