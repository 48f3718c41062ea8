using OpenAttribution.Stores.ClickHouse;

namespace OpenAttribution.Stores.Tests.ClickHouse;

/// <summary>
/// The ClickHouse cluster the tests use: the URI in <c>OA_TEST_CLICKHOUSE</c>, else
/// <see cref="DefaultUri"/> (the 2-shard cluster <c>.ci/clickhouse.sh</c> starts). Probed once per test
/// process. When it cannot be reached the tests are skipped, unless <c>OA_REQUIRE_CLICKHOUSE=1</c>
/// (set by CI): then they run and fail with the reason. Each test works in its own database.
/// </summary>
internal static class ClickHouseTestServer
{
    public const string DefaultUri = "clickhouse://127.0.0.1:18124,127.0.0.1:18125/oa_test?cluster=oa";

    private static readonly Lazy<string?> Problem = new(Probe);

    public static string Uri =>
        Environment.GetEnvironmentVariable("OA_TEST_CLICKHOUSE") is { Length: > 0 } uri ? uri : DefaultUri;

    public static bool Required => Environment.GetEnvironmentVariable("OA_REQUIRE_CLICKHOUSE") == "1";

    public static string? Unreachable => Problem.Value;

    public static string? SkipReason => Required || Unreachable is null
        ? null
        : $"the ClickHouse cluster {Uri} is not reachable: {Unreachable} " +
          "(start one with `source .ci/clickhouse.sh` or set OA_TEST_CLICKHOUSE; OA_REQUIRE_CLICKHOUSE=1 turns this skip into a failure)";

    /// <summary>A URI like <paramref name="uri"/> naming another database.</summary>
    public static string WithDatabase(string uri, string database)
    {
        var scheme = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var slash = uri.IndexOf('/', scheme);
        var query = uri.IndexOf('?', StringComparison.Ordinal);
        return uri[..slash] + "/" + database + (query >= 0 ? uri[query..] : "");
    }

    /// <summary>Drops a test database on every node of <paramref name="uri"/> (best effort).</summary>
    public static void Drop(string uri)
    {
        var location = ClickHouseLocation.Parse(uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var node in location.Nodes)
        {
            try
            {
                using var content = new StringContent($"DROP DATABASE IF EXISTS {location.Database}");
                using var response = http.PostAsync(node, content).GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                // A stopped node keeps its test database; the next run of the script reuses the folder.
            }
        }
    }

    private static string? Probe()
    {
        try
        {
            var location = ClickHouseLocation.Parse(Uri);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            foreach (var node in location.Nodes)
            {
                using var response = http.GetAsync(new System.Uri(node, "ping")).GetAwaiter().GetResult();
                response.EnsureSuccessStatusCode();
            }

            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            return e.Message;
        }
    }
}

/// <summary>A test that needs the ClickHouse test cluster (see <see cref="ClickHouseTestServer"/>).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class ClickHouseFactAttribute : FactAttribute
{
    public ClickHouseFactAttribute()
    {
        Skip = ClickHouseTestServer.SkipReason;
    }
}
