using System.Globalization;
using System.Text.Json;

namespace OpenAttribution.Cli.Tests;

public class CommandTests
{
    private const string Events = """
        event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,referrer,url,conversion,value
        e1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,brand,,,,
        e2,2026-03-02T09:00:00Z,,a1,touch,,,,,https://www.google.com/,,,
        e3,2026-03-03T09:00:00Z,u1,a1,identify,,,,,,,,
        e4,2026-03-04T09:00:00Z,u1,,touch,,newsletter,email,spring,,,,
        e5,2026-03-05T09:00:00Z,u1,,conversion,,,,,,,purchase,100
        e5,2026-03-05T09:00:00Z,u1,,conversion,,,,,,,purchase,100
        e6,2026-03-05T09:00:00Z,,a2,touch,,,,,,https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget,,
        e7,2026-03-06T09:00:00Z,,a2,conversion,,,,,,,purchase,50
        e8,2026-03-06T09:00:00Z,,a3,conversion,,,,,,,signup,
        e9,yesterday,,a3,touch,,,,,,,,
        """;

    [Fact]
    public void ReportCsvHasTheSpecHeaderAndRowsSortedByConversions()
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var r = CliRunner.Run("report", "--events", file, "--model", "first-touch", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("channel,conversions,value", lines[0]);
        Assert.Equal(["(none),1,0", "Paid Search,1,100", "Paid Social,1,50"], lines[1..]);
        Assert.Contains("line 11: timestamp 'yesterday'", r.Error);
        Assert.Contains("1 duplicates", r.Error);
        Assert.Contains("1 rejected", r.Error);
    }

    [Fact]
    public void CompareCsvListsEveryModelAndDimensionValue()
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var r = CliRunner.Run("compare", "--events", file, "--models", "last-touch,linear", "--by", "source", "--conversion", "purchase", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("model,source,conversions,value", lines[0]);
        Assert.Contains("last-touch,newsletter,1,100", lines);
        Assert.Contains("last-touch,facebook,1,50", lines);
        Assert.Contains(lines, l => l.StartsWith("linear,google,", StringComparison.Ordinal) && double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture) == 2.0 / 3);
    }

    [Fact]
    public void ReportJsonCarriesModelDimensionRowsAndTotal()
    {
        var file = CliRunner.TempFile("events.jsonl", string.Join("\n",
            """{"timestamp":"2026-03-01T09:00:00Z","user_id":"u1","type":"touch","channel":"Email"}""",
            """{"timestamp":"2026-03-02T09:00:00Z","user_id":"u1","type":"conversion","conversion":"purchase","value":12.5}"""));
        var r = CliRunner.Run("report", "--events", file, "--model", "linear", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("linear", doc.RootElement.GetProperty("model").GetString());
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.Equal("Email", row.GetProperty("key").GetString());
        Assert.Equal(12.5, row.GetProperty("value").GetDouble());
        Assert.Equal(1, doc.RootElement.GetProperty("total").GetProperty("conversions").GetDouble());
    }

    [Fact]
    public void TheTableShowsEveryChannelAndTheChangeAgainstTheFirstModel()
    {
        var r = CliRunner.Run("compare", "--paths", CliRunner.TestData("PathData.csv"), "--models", "last-touch,first-touch,linear");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("alpha", r.Out);
        Assert.Contains("8,447", r.Out);
        Assert.Contains("6,308 -25.3%", r.Out);
    }

    [Fact]
    public void PathsWritesAPathTableThatReportReadsBackToTheSameNumbers()
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var table = Path.Combine(Path.GetDirectoryName(file)!, "paths.csv");
        var p = CliRunner.Run("paths", "--events", file, "--write-path-table", table, "--format", "json");
        Assert.Equal(0, p.ExitCode);
        using (var doc = JsonDocument.Parse(p.Out))
        {
            Assert.Equal(3, doc.RootElement.GetProperty("total").GetProperty("conversions").GetDouble());
        }

        var fromEvents = CliRunner.Run("report", "--events", file, "--model", "linear", "--format", "csv");
        var fromTable = CliRunner.Run("report", "--paths", table, "--model", "linear", "--format", "csv");
        Assert.Equal(fromEvents.Out, fromTable.Out);
    }

    [Theory]
    [InlineData("--model", "nonsense", "--model 'nonsense'")]
    [InlineData("--lookback", "thirty", "--lookback 'thirty'")]
    [InlineData("--by", "country", "--by 'country'")]
    [InlineData("--position", "0.8,0.8", "--position '0.8,0.8'")]
    [InlineData("--format", "xml", "--format 'xml'")]
    public void BadOptionsAreErrorsNamingTheOptionAndValue(string option, string value, string expected)
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var r = CliRunner.Run("report", "--events", file, option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Error);
    }

    [Theory]
    [InlineData("--from", "2026-13-01")]
    [InlineData("--to", "31/03/2026")]
    public void ABadRoiDateIsAnErrorNamingTheOptionAndValue(string option, string value)
    {
        // A path table has no timestamps, so only the ROI report reads the dates.
        var costs = CliRunner.TempFile("costs.csv", "date,channel,campaign,cost,currency\n2026-03-01,Paid Search,brand,20,EUR\n");
        var r = CliRunner.Run("report", "--paths", CliRunner.TestData("PathData.csv"), "--roi", "--costs", costs, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{option} '{value}': not a date; use yyyy-MM-dd", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsAnErrorNamingIt()
    {
        var r = CliRunner.Run("report", "--events", "/nonexistent/events.csv");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/events.csv", r.Error);
    }

    [Fact]
    public void TimeDecayOnAPathTableIsAClearError()
    {
        var r = CliRunner.Run("report", "--paths", CliRunner.TestData("PathData.csv"), "--model", "time-decay");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("timestamps", r.Error);
        Assert.DoesNotContain("Parameter", r.Error);
    }

    [Fact]
    public void GenerateThenCompareRunsEndToEnd()
    {
        var file = CliRunner.TempFile("gen.csv", string.Empty);
        var g = CliRunner.Run("generate", "--people", "2000", "--out", file, "--seed", "3");
        Assert.Equal(0, g.ExitCode);
        var r = CliRunner.Run("compare", "--events", file, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(["last-touch", "first-touch", "last-non-direct", "linear", "time-decay", "position-based"], models);
        var totals = doc.RootElement.GetProperty("rows").EnumerateArray()
            .GroupBy(row => row.GetProperty("model").GetString())
            .Select(grp => grp.Sum(row => row.GetProperty("conversions").GetDouble()))
            .ToList();
        Assert.All(totals, t => Assert.Equal(totals[0], t, 6));
    }

    [Fact]
    public void TheDemoImportsIntoADuckDbStoreAndPrintsTheComparisonTheFileGives()
    {
        var dir = Path.GetDirectoryName(CliRunner.TempFile("placeholder", string.Empty))!;
        var demo = CliRunner.Run("demo", "--people", "1500", "--dir", dir);
        Assert.Equal(0, demo.ExitCode);
        var store = Path.Combine(dir, "demo.duckdb");
        Assert.True(File.Exists(store));
        Assert.Contains("events.csv: ", demo.Error, StringComparison.Ordinal);
        Assert.Contains(" stored, 0 duplicates, 0 rejected", demo.Error, StringComparison.Ordinal);
        Assert.Contains($"--store {store}", demo.Out, StringComparison.Ordinal);

        // The same models over the generated file give the very table the demo printed from its store.
        const string models = "last-touch,first-touch,last-non-direct,linear,time-decay,position-based,markov,shapley";
        var file = CliRunner.Run("compare", "--events", Path.Combine(dir, "events.csv"), "--models", models);
        Assert.Equal(0, file.ExitCode);
        Assert.StartsWith(file.Out, demo.Out, StringComparison.Ordinal);
        Assert.Contains("shapley", demo.Out, StringComparison.Ordinal);

        // A second run starts from a fresh store: nothing is counted twice.
        var again = CliRunner.Run("demo", "--people", "1500", "--dir", dir);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(demo.Out, again.Out);
        Assert.Contains(" stored, 0 duplicates, 0 rejected", again.Error, StringComparison.Ordinal);
    }
}
