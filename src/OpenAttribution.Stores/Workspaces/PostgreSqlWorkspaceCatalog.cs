using Npgsql;
using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores.Workspaces;

/// <summary>
/// The workspaces of a PostgreSQL store: the table <c>oa_workspaces</c> in the URI's schema; each
/// workspace's tables in a schema of their own (the URI with <c>?schema=</c> set to it).
/// </summary>
internal sealed class PostgreSqlWorkspaceCatalog : IWorkspaceCatalog
{
    private readonly string _uri;
    private readonly string _table;
    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlWorkspaceCatalog(string uri)
    {
        _uri = uri;
        var location = PostgreSqlLocation.Parse(uri);
        _table = "\"" + location.Schema + "\".oa_workspaces";
        // The store's own tables are created (or their version checked) in the URI's schema first.
        _dataSource = new PostgreSqlSchema(location.Schema).Open(location);
        try
        {
            using var connection = _dataSource.OpenConnection();
            using var command = new NpgsqlCommand($"""
                CREATE TABLE IF NOT EXISTS {_table} (
                    name           text PRIMARY KEY,
                    schema_name    text NOT NULL UNIQUE,
                    write_key_hash bytea NOT NULL,
                    read_key_hash  bytea NOT NULL,
                    created        timestamptz NOT NULL,
                    admin_key_hash bytea
                );
                ALTER TABLE {_table} ADD COLUMN IF NOT EXISTS admin_key_hash bytea;
                """, connection);
            command.ExecuteNonQuery();
        }
        catch
        {
            PostgreSqlDataSources.Release(_dataSource);
            throw;
        }
    }

    public void Add(WorkspaceRecord workspace)
    {
        using (var connection = _dataSource.OpenConnection())
        using (var command = new NpgsqlCommand($"INSERT INTO {_table} (name, schema_name, write_key_hash, read_key_hash, created, admin_key_hash) VALUES (@n, @s, @w, @r, @c, @a) ON CONFLICT DO NOTHING", connection))
        {
            command.Parameters.AddWithValue("n", workspace.Name);
            command.Parameters.AddWithValue("s", workspace.Schema);
            command.Parameters.AddWithValue("w", workspace.WriteKeyHash);
            command.Parameters.AddWithValue("r", workspace.ReadKeyHash);
            command.Parameters.AddWithValue("c", workspace.Created.UtcDateTime);
            command.Parameters.Add(new NpgsqlParameter("a", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)workspace.AdminKeyHash ?? DBNull.Value });
            if (command.ExecuteNonQuery() == 0)
            {
                throw new WorkspaceExistsException(workspace.Name);
            }
        }

        using var events = OpenEvents(workspace);
    }

    public IReadOnlyList<WorkspaceRecord> List()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT name, schema_name, write_key_hash, read_key_hash, created, admin_key_hash FROM {_table} ORDER BY name", connection);
        using var reader = command.ExecuteReader();
        var list = new List<WorkspaceRecord>();
        while (reader.Read())
        {
            list.Add(new WorkspaceRecord(reader.GetString(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3],
                new DateTimeOffset(reader.GetDateTime(4).ToUniversalTime(), TimeSpan.Zero),
                reader.IsDBNull(5) ? null : (byte[])reader[5]));
        }

        return list;
    }

    public IEventStore OpenEvents(WorkspaceRecord workspace) => new PostgreSqlEventStore(PostgreSqlLocation.WithSchema(_uri, workspace.Schema));

    public bool SetAdminKey(string name, byte[] adminKeyHash)
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"UPDATE {_table} SET admin_key_hash = @a WHERE name = @n", connection);
        command.Parameters.AddWithValue("a", adminKeyHash);
        command.Parameters.AddWithValue("n", name);
        return command.ExecuteNonQuery() > 0;
    }

    public void Dispose() => PostgreSqlDataSources.Release(_dataSource);
}
