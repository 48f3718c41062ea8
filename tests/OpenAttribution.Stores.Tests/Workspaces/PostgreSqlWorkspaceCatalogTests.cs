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
