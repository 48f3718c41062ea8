using Npgsql;
using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores.Tests.PostgreSql;

/// <summary>
/// The PostgreSQL server the tests use: the URI in <c>OA_TEST_POSTGRES</c>, else
/// <see cref="DefaultUri"/> (the cluster <c>.ci/postgres.sh</c> starts). It is probed once per test
/// process with a short timeout. When it cannot be reached the tests are skipped, unless
/// <c>OA_REQUIRE_POSTGRES=1</c> (set by CI): then they run and fail with the reason.
/// </summary>
internal static class PostgresTestServer
{
    public const string DefaultUri = "postgresql://postgres@127.0.0.1:54329/postgres";

    private static readonly Lazy<string?> Problem = new(Probe);

    public static string Uri =>
        Environment.GetEnvironmentVariable("OA_TEST_POSTGRES") is { Length: > 0 } uri ? uri : DefaultUri;

    public static bool Required => Environment.GetEnvironmentVariable("OA_REQUIRE_POSTGRES") == "1";

    /// <summary>Why the server cannot be used (null when it can).</summary>
    public static string? Unreachable => Problem.Value;

    /// <summary>The skip reason for PostgreSQL tests: null when the server is there or required.</summary>
    public static string? SkipReason => Required || Unreachable is null
        ? null
        : $"PostgreSQL is not reachable at {Describe()}: {Unreachable} " +
          "(start one with `source .ci/postgres.sh` or set OA_TEST_POSTGRES to a postgresql:// URI; OA_REQUIRE_POSTGRES=1 turns this skip into a failure)";

    /// <summary>Fails the calling test with a clear reason when the server is required but missing.</summary>
    public static void EnsureReachable()
    {
        if (Unreachable is { } problem)
        {
            throw new InvalidOperationException(
                $"OA_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at {Describe()}: {problem} (run `source .ci/postgres.sh` or set OA_TEST_POSTGRES).");
        }
    }

    /// <summary>The test server's URI with a schema parameter added.</summary>
    public static string WithSchema(string schema) =>
        Uri + (Uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;

    /// <summary>Drops the tests' schemas (nothing when the server was never reachable).</summary>
    public static void DropSchemas(IReadOnlyCollection<string> schemas)
    {
        if (schemas.Count == 0 || Unreachable is not null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = Connect();
        foreach (var schema in schemas)
        {
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    public static NpgsqlConnection Connect()
    {
        var connection = new NpgsqlConnection(PostgreSqlLocation.Parse(Uri).ConnectionString);
        connection.Open();
        return connection;
    }

    private static string Describe()
    {
        try
        {
            return PostgreSqlLocation.Parse(Uri).Description;
        }
        catch (ArgumentException)
        {
            return "OA_TEST_POSTGRES (not a valid postgresql:// URI)";
        }
    }

    private static string? Probe()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(PostgreSqlLocation.Parse(Uri).ConnectionString)
            {
                Timeout = 3,
                Pooling = false,
            };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}
