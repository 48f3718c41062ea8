using System.Globalization;

namespace OpenAttribution.Cli.Tests;

/// <summary>
/// The CLI over a ClickHouse cluster (<c>OA_TEST_CLICKHOUSE</c>, started by <c>.ci/clickhouse.sh</c>):
/// reports computed on the shards equal reports from the files. Skipped without the variable unless
/// <c>OA_REQUIRE_CLICKHOUSE=1</c>.
/// </summary>
public sealed class ClickHouseCommandTests : IDisposable
{
    private readonly string? _store;

    public ClickHouseCommandTests()
    {
        if (Environment.GetEnvironmentVariable("OA_TEST_CLICKHOUSE") is { Length: > 0 } uri)
        {
            var scheme = uri.IndexOf("://", StringComparison.Ordinal) + 3;
            var slash = uri.IndexOf('/', scheme);
            var query = uri.IndexOf('?', StringComparison.Ordinal);
            _store = uri[..slash] + "/oa_cli_" + Guid.NewGuid().ToString("N")[..12] + (query >= 0 ? uri[query..] : "");
        }
    }

    public void Dispose()
    {
        if (_store is null)
        {
            return;
        }

        Drop(_store);
        Drop(_store.Replace("/oa_cli_", "/oa_cli_s", StringComparison.Ordinal));
    }

    private static void Drop(string store)
    {
        var start = store.IndexOf("://", StringComparison.Ordinal) + 3;
        var slash = store.IndexOf('/', start);
        var database = store[(slash + 1)..].Split('?')[0];
        using var http = new HttpClient();
        foreach (var host in store[start..slash].Split(','))
        {
            using var content = new StringContent($"DROP DATABASE IF EXISTS {database}");
            using var response = http.PostAsync($"http://{host}/", content).GetAwaiter().GetResult();
        }
    }

    [Fact]
    public void ReportsCompareAndMarkovFromTheClusterEqualThoseFromTheFile()
    {
        if (_store is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("OA_REQUIRE_CLICKHOUSE") != "1", "OA_REQUIRE_CLICKHOUSE=1 but OA_TEST_CLICKHOUSE is not set");
            return;
        }

        // Bad rows and duplicates follow the rules of every store.
        var small = CliRunner.TempFile("small.csv", """
            event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,referrer,url,conversion,value
            e1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,brand,,,,
            e1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,brand,,,,
            e9,yesterday,,a3,touch,,,,,,,,
            """);
        var smallStore = _store.Replace("/oa_cli_", "/oa_cli_s", StringComparison.Ordinal);
        var first = CliRunner.Run("import", "--store", smallStore, small, "--format", "json");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("\"accepted\": 1", first.Out, StringComparison.Ordinal);
        Assert.Contains("\"duplicates\": 1", first.Out, StringComparison.Ordinal);
        Assert.Contains("\"rejected\": 1", first.Out, StringComparison.Ordinal);
        Assert.Contains("\"field\": \"timestamp\"", first.Out, StringComparison.Ordinal);

        var file = CliRunner.TempFile("events.csv", string.Empty);
        Assert.Equal(0, CliRunner.Run("generate", "--people", "2000", "--out", file, "--seed", "9").ExitCode);
        var import = CliRunner.Run("import", "--store", _store, file, "--format", "json");
        Assert.Equal(0, import.ExitCode);

        var rules = CliRunner.TempFile("custom.yaml", "base: linear\nrules:\n  - { channel: Direct, factor: 0.2 }\n");
        var truth = CliRunner.TempFile("truth.csv", "channel,incremental_conversions,true_share\nPaid Search,40,\nEmail,25,\nOrganic Search,10,\n(none),30,\n");
        string[][] cases =
        [
            ["report", "--model", "custom", "--custom-rules", rules, "--by", "source"],
            ["paths", "--top", "5"],
            ["compare", "--models", "last-touch,first-touch,last-non-direct,linear,time-decay,position-based,markov,shapley"],
            ["compare", "--by", "campaign", "--lookback", "7d", "--reset-on-conversion", "--conversion", "purchase", "--models", "linear,markov-2,shapley"],
            ["report", "--model", "time-decay", "--half-life", "3d", "--from", "2026-03-05", "--to", "2026-03-20"],
            ["markov", "--order", "2"],
            ["evaluate", "--truth", truth, "--models", "last-touch,linear,markov,shapley"],
        ];
        foreach (var args in cases)
        {
            var fromStore = CliRunner.Run([.. args, "--store", _store, "--format", "csv"]);
            var fromFile = CliRunner.Run([.. args, "--events", file, "--format", "csv"]);
            Assert.Equal(0, fromStore.ExitCode);
            // Custom rule models and the paths report read the events instead (docs/clickhouse.md).
            var pushedDown = args[0] != "paths" && !args.Contains("custom");
            Assert.Equal(pushedDown, fromStore.Error.Contains("computed in the store", StringComparison.Ordinal));
            AssertSameCsv(fromFile.Out, fromStore.Out, string.Join(' ', args));
        }
    }

    /// <summary>Same rows; numbers equal to 1e-9 (the shards add up in another order).</summary>
    private static void AssertSameCsv(string expected, string actual, string what)
    {
        var e = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(e.Length == a.Length, $"{what}: {e.Length} rows expected, {a.Length} given:\n{actual}");
        for (var i = 0; i < e.Length; i++)
        {
            var ef = e[i].Split(',');
            var af = a[i].Split(',');
            Assert.Equal(ef.Length, af.Length);
            for (var j = 0; j < ef.Length; j++)
            {
                if (double.TryParse(ef[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    && double.TryParse(af[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                {
                    Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{what}, line {i + 1}: {e[i]} expected, {a[i]} given");
                }
                else
                {
                    Assert.True(ef[j] == af[j], $"{what}, line {i + 1}: {e[i]} expected, {a[i]} given");
                }
            }
        }
    }
}
