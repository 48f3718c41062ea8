using DuckDB.NET.Data;
using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Workspaces;

/// <summary>
/// The workspaces of a DuckDB file: the table <c>oa_workspaces</c> in the default schema; each
/// workspace's tables in its own schema of the same file.
/// </summary>
internal sealed class DuckDbWorkspaceCatalog : IWorkspaceCatalog
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS main.oa_workspaces (
            name           VARCHAR PRIMARY KEY,
            schema_name    VARCHAR NOT NULL UNIQUE,
            write_key_hash VARCHAR NOT NULL,
            read_key_hash  VARCHAR NOT NULL,
            created_ticks  BIGINT NOT NULL,
            admin_key_hash VARCHAR
        );
        ALTER TABLE main.oa_workspaces ADD COLUMN IF NOT EXISTS admin_key_hash VARCHAR;
        """;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly DuckDBConnection _root;

    public DuckDbWorkspaceCatalog(string path)
    {
        _path = path;
        var full = DuckDbSchema.PrepareFile(path);
        _connectionString = new DuckDBConnectionStringBuilder { DataSource = full }.ConnectionString;
        _root = new DuckDBConnection(_connectionString);
        try
        {
            _root.Open();
            // The store's own tables are created (or their version checked) in the default schema first.
            DuckDbSchema.Ensure(_root, full);
            DuckDbSchema.Execute(_root, Create);
        }
        catch
        {
            _root.Dispose();
            throw;
        }
    }

    public void Add(WorkspaceRecord workspace)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO main.oa_workspaces (name, schema_name, write_key_hash, read_key_hash, created_ticks, admin_key_hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
        command.Parameters.Add(new DuckDBParameter(workspace.Name));
        command.Parameters.Add(new DuckDBParameter(workspace.Schema));
        command.Parameters.Add(new DuckDBParameter(Convert.ToHexString(workspace.WriteKeyHash)));
        command.Parameters.Add(new DuckDBParameter(Convert.ToHexString(workspace.ReadKeyHash)));
        command.Parameters.Add(new DuckDBParameter(workspace.Created.UtcTicks));
        command.Parameters.Add(new DuckDBParameter(workspace.AdminKeyHash is { } admin ? Convert.ToHexString(admin) : DBNull.Value));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new WorkspaceExistsException(workspace.Name);
        }

        // Creates the workspace's schema and tables now, so that a reader finds them.
        using var events = OpenEvents(workspace);
    }

    public IReadOnlyList<WorkspaceRecord> List()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, schema_name, write_key_hash, read_key_hash, created_ticks, admin_key_hash FROM main.oa_workspaces ORDER BY name";
        using var reader = command.ExecuteReader();
        var list = new List<WorkspaceRecord>();
        while (reader.Read())
        {
            list.Add(new WorkspaceRecord(
                reader.GetString(0),
                reader.GetString(1),
                Convert.FromHexString(reader.GetString(2)),
                Convert.FromHexString(reader.GetString(3)),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                reader.IsDBNull(5) ? null : Convert.FromHexString(reader.GetString(5))));
        }

        return list;
    }

    public IEventStore OpenEvents(WorkspaceRecord workspace) => new DuckDbEventStore(_path, workspace.Schema);

    public bool SetAdminKey(string name, byte[] adminKeyHash)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE main.oa_workspaces SET admin_key_hash = $1 WHERE name = $2";
        command.Parameters.Add(new DuckDBParameter(Convert.ToHexString(adminKeyHash)));
        command.Parameters.Add(new DuckDBParameter(name));
        return command.ExecuteNonQuery() > 0;
    }

    public void Dispose() => _root.Dispose();

    private DuckDBConnection Connect()
    {
        var connection = new DuckDBConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
