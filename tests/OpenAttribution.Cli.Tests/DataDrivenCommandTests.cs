using System.Globalization;

namespace OpenAttribution.Cli.Tests;

public class DataDrivenCommandTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MarkovCsvEqualsTheExactExpectedFile(int order)
    {
        var r = CliRunner.Run("markov", "--paths", CliRunner.TestData("PathData.csv"), "--order", order.ToString(CultureInfo.InvariantCulture), "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var actual = Parse(r.Out.Split('\n'));
        var expected = Parse(File.ReadAllLines(CliRunner.TestData($"PathData.markov-order{order}.expected.csv")));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (channel, e) in expected)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.True(Math.Abs(actual[channel][i] - e[i]) <= 1e-9 * Math.Abs(e[i]), $"{channel} column {i}: {actual[channel][i]} vs {e[i]}");
            }
        }
    }

    [Fact]
    public void MarkovOrderAutoReportsTheOrderItChoseWithTheEvidence()
    {
        var json = CliRunner.Run("markov", "--paths", CliRunner.TestData("PathData.csv"), "--order", "auto", "--max-order", "4", "--format", "json");
        Assert.Equal(0, json.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Out);
        var selection = doc.RootElement.GetProperty("order_selection");
        var chosen = selection.GetProperty("chosen").GetInt32();
        Assert.Equal(chosen, doc.RootElement.GetProperty("order").GetInt32());
        Assert.Equal([1, 2, 3, 4], selection.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("order").GetInt32()));
        Assert.All(selection.GetProperty("orders").EnumerateArray(), o => Assert.InRange(o.GetProperty("held_out_auc").GetDouble(), 0, 1));

        var csv = CliRunner.Run("markov", "--paths", CliRunner.TestData("PathData.csv"), "--order", "auto", "--max-order", "4", "--format", "csv");
        Assert.Equal(0, csv.ExitCode);
        Assert.StartsWith("channel,removal_effect,conversions,value", csv.Out, StringComparison.Ordinal);
        Assert.Contains($"order auto: chose {chosen}", csv.Error, StringComparison.Ordinal);

        var bad = CliRunner.Run("markov", "--paths", CliRunner.TestData("PathData.csv"), "--order", "two");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--order 'two': must be auto or a whole number between 1 and 12", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTransitionMatrixIsWrittenWithRowsSummingToOne()
    {
        var file = CliRunner.TempFile("matrix.csv", string.Empty);
        var r = CliRunner.Run("markov", "--paths", CliRunner.TestData("PathData.csv"), "--transition-matrix", file);
        Assert.Equal(0, r.ExitCode);
        var rows = File.ReadAllLines(file).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Contains(rows, x => x[0] == "(start)" && x[1] == "alpha");
        foreach (var from in rows.GroupBy(x => x[0]))
        {
            Assert.Equal(1.0, from.Sum(x => double.Parse(x[2], CultureInfo.InvariantCulture)), 9);
        }
    }

    [Fact]
    public void ReportAndCompareRunMarkovAndShapleyFromEvents()
    {
        var file = CliRunner.TempFile("gen.csv", string.Empty);
        Assert.Equal(0, CliRunner.Run("generate", "--people", "3000", "--out", file).ExitCode);
        var r = CliRunner.Run("compare", "--events", file, "--models", "last-touch,markov,markov-3,shapley", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var totals = r.Out.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .GroupBy(x => x[0]).ToDictionary(g => g.Key, g => g.Sum(x => double.Parse(x[2], CultureInfo.InvariantCulture)));
        Assert.Equal(["last-touch", "markov", "markov-3", "shapley"], totals.Keys.Order());
        Assert.All(totals.Values, t => Assert.Equal(totals["last-touch"], t, 6));

        var json = CliRunner.Run("report", "--events", file, "--model", "markov", "--order", "2", "--format", "json");
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"removal_effect\"", json.Out);
        Assert.Contains("\"model\": \"markov-2\"", json.Out);
    }

    [Fact]
    public void ChannelRulesFromAFileReplaceTheDefaultGrouping()
    {
        var events = CliRunner.TempFile("events.csv", """
            timestamp,user_id,type,source,medium,conversion,value
            2026-03-01T09:00:00Z,u1,touch,partner-a,referral,,
            2026-03-01T10:00:00Z,u1,conversion,,,purchase,10
            2026-03-01T09:00:00Z,u2,touch,google,cpc,,
            2026-03-01T10:00:00Z,u2,conversion,,,purchase,5
            """);
        var rules = Path.Combine(Path.GetDirectoryName(events)!, "rules.yaml");
        File.WriteAllText(rules, """
            extends: default
            rules:
              - channel: Partners
                any:
                  - { field: source, in: [partner-a, partner-b] }
            """);
        var r = CliRunner.Run("report", "--events", events, "--channel-rules", rules, "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Partners,1,10", r.Out);
        Assert.Contains("Paid Search,1,5", r.Out);

        File.WriteAllText(rules, "rules:\n  - channel: X\n    all:\n      - { field: colour, equals: red }\n");
        var bad = CliRunner.Run("report", "--events", events, "--channel-rules", rules);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("colour", bad.Error);
    }

    private static Dictionary<string, double[]> Parse(IEnumerable<string> lines) =>
        lines.Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f[1..4].Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray());
}
