using Npgsql;
using OpenAttribution.Stores.Tests.PostgreSql;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Stores.Tests.Workspaces;

/// <summary>The catalog contract in a fresh schema per store; its schema and its workspaces' schemas are dropped afterwards.</summary>
[PostgresFact]
public sealed class PostgreSqlWorkspaceCatalogTests : WorkspaceCatalogContract, IDisposable
{
    private readonly List<string> _catalogs = [];

    protected override string NewStore()
    {
        PostgresTestServer.EnsureReachable();
        var schema = "oa_catalog_" + Guid.NewGuid().ToString("N")[..12];
        _catalogs.Add(schema);
        return PostgresTestServer.WithSchema(schema);
    }

    [Fact]
    public void AnOldCatalogGainsTheAdminKeyColumn() => CheckOldCatalogGainsTheAdminKeyColumn(NewStore(), store =>
    {
        WorkspaceCatalogs.Open(store).Dispose();
        using var connection = PostgresTestServer.Connect();
        using var command = new NpgsqlCommand(
            $"ALTER TABLE \"{_catalogs[^1]}\".oa_workspaces DROP COLUMN admin_key_hash; INSERT INTO \"{_catalogs[^1]}\".oa_workspaces VALUES ('old', 'ws_0123456789abcdef', '\\x01', '\\x02', now())",
            connection);
        command.ExecuteNonQuery();
    });

    [Fact]
    public void EveryWorkspaceOfAServerSharesOneConnectionPool()
    {
        // One pool per workspace used to mean a server with many workspaces could hold more
        // connections than PostgreSQL allows.
        var store = NewStore();
        var connectionString = OpenAttribution.Stores.PostgreSql.PostgreSqlLocation.Parse(store).ConnectionString;
        using (var catalog = WorkspaceCatalogs.Open(store))
        {
            var a = new WorkspaceRecord("a", "ws_" + Guid.NewGuid().ToString("N")[..16], [1], [2], DateTimeOffset.UnixEpoch);
            var b = new WorkspaceRecord("b", "ws_" + Guid.NewGuid().ToString("N")[..16], [3], [4], DateTimeOffset.UnixEpoch);
            catalog.Add(a);
            catalog.Add(b);
            var first = (OpenAttribution.Stores.PostgreSql.PostgreSqlEventStore)catalog.OpenEvents(a);
            using var second = (OpenAttribution.Stores.PostgreSql.PostgreSqlEventStore)catalog.OpenEvents(b);

            // (Other test classes on the same server hold it too, in parallel: only sharing is asserted, not counts.)
            Assert.Same(first.DataSource, second.DataSource);
            Assert.True(OpenAttribution.Stores.PostgreSql.PostgreSqlDataSources.Users(connectionString) >= 3);
            first.Dispose();
            Assert.Equal(0, second.CountEvents());
            Assert.Equal(2, catalog.List().Count);
        }
    }

    public void Dispose()
    {
        if (_catalogs.Count == 0 || PostgresTestServer.Unreachable is not null)
        {
            return;
        }

        var schemas = new List<string>();
        using (var connection = PostgresTestServer.Connect())
        {
            foreach (var catalog in _catalogs)
            {
                using var command = new NpgsqlCommand($"SELECT schema_name FROM \"{catalog}\".oa_workspaces", connection);
                try
                {
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        schemas.Add(reader.GetString(0));
                    }
                }
                catch (PostgresException)
                {
                    // The test never created the catalog table.
                }
            }
        }

        PostgresTestServer.DropSchemas([.. schemas, .. _catalogs]);
    }
}
