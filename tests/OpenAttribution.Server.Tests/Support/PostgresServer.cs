using Npgsql;

namespace OpenAttribution.Server.Tests.Support;

/// <summary>
/// The PostgreSQL server of <c>.ci/postgres.sh</c> (<c>OA_TEST_POSTGRES</c>, default port 54329) for
/// server tests on a PostgreSQL store: each store is a fresh schema, dropped with its workspaces'.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public static string Uri =>
        Environment.GetEnvironmentVariable("OA_TEST_POSTGRES") is { Length: > 0 } uri ? uri : "postgresql://postgres@127.0.0.1:54329/postgres";

    /// <summary>Null when the server is reachable or required (then a missing server fails the test).</summary>
    public static string? SkipReason => Environment.GetEnvironmentVariable("OA_REQUIRE_POSTGRES") == "1" || Problem.Value is null
        ? null
        : $"PostgreSQL is not reachable at {Uri}: {Problem.Value} (source .ci/postgres.sh; OA_REQUIRE_POSTGRES=1 fails instead)";

    /// <summary>A new, empty store: the server's URI with a schema of its own.</summary>
    public static string NewStore(out string schema)
    {
        schema = "oa_srv_" + Guid.NewGuid().ToString("N")[..12];
        return Uri + (Uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;
    }

    /// <summary>Drops a store's schema and the schemas of the workspaces its catalog lists.</summary>
    public static void Drop(string schema)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = Connect();
        var schemas = new List<string>();
        using (var list = new NpgsqlCommand($"SELECT schema_name FROM \"{schema}\".oa_workspaces", connection))
        {
            try
            {
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    schemas.Add(reader.GetString(0));
                }
            }
            catch (PostgresException)
            {
                // No catalog: nothing but the schema itself.
            }
        }

        foreach (var s in schemas.Append(schema))
        {
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{s}\" CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    private static NpgsqlConnection Connect()
    {
        var uri = new System.Uri(Uri);
        var user = uri.UserInfo.Split(':');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.Trim('/'),
            Username = System.Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? System.Uri.UnescapeDataString(user[1]) : null,
            Timeout = 3,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    private static string? Probe()
    {
        try
        {
            using var connection = Connect();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or UriFormatException)
        {
            return ex.Message;
        }
    }
}

/// <summary>A server test on a PostgreSQL store: skipped when the server is missing, unless required.</summary>
public sealed class PostgresServerFactAttribute : FactAttribute
{
    public PostgresServerFactAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }
}
