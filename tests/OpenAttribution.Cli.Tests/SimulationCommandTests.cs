using System.Globalization;
using System.Text.Json;

namespace OpenAttribution.Cli.Tests;

public class SimulationCommandTests
{
    private static string Simulate(string name, params string[] more)
    {
        var file = CliRunner.TempFile(name, string.Empty);
        var r = CliRunner.Run(["simulate", "--out", file, .. more]);
        Assert.True(r.ExitCode == 0, r.Error);
        return file;
    }

    [Fact]
    public void SimulateWritesEventsAndATruthFileNextToThemTheSameForTheSameSeed()
    {
        var a = Simulate("a.csv", "--people", "1500", "--scenario", "closer", "--seed", "3");
        var b = Simulate("b.csv", "--people", "1500", "--scenario", "closer", "--seed", "3");
        var truth = Path.Combine(Path.GetDirectoryName(a)!, "a.truth.csv");
        Assert.True(File.Exists(truth));
        Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
        Assert.Equal(File.ReadAllText(truth), File.ReadAllText(Path.Combine(Path.GetDirectoryName(b)!, "b.truth.csv")));

        // Every other command reads the events; the truth's rows sum to the conversions they hold.
        var report = CliRunner.Run("report", "--events", a, "--format", "json");
        Assert.Equal(0, report.ExitCode);
        var conversions = JsonDocument.Parse(report.Out).RootElement.GetProperty("total").GetProperty("conversions").GetDouble();
        var rows = File.ReadAllLines(truth).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(conversions, rows.Sum(r => double.Parse(r[1], CultureInfo.InvariantCulture)));
        Assert.Equal("0", rows.Single(r => r[0] == "Brand Search")[1]);
    }

    [Fact]
    public void EvaluateCsvListsEveryModelBestFirstWithSharesSummingToOne()
    {
        var events = Simulate("events.csv", "--people", "3000", "--scenario", "closer");
        var truth = Path.ChangeExtension(events, ".truth.csv");
        var r = CliRunner.Run("evaluate", "--events", events, "--truth", truth, "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        Assert.Equal("model,rank,error,channel,conversions,share,true_share", string.Join(',', lines[0]));
        var models = lines.Skip(1).GroupBy(x => x[0]).ToList();
        Assert.Equal(8, models.Count);
        var errors = models.Select(g => double.Parse(g.First()[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(errors.Order(), errors);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i.ToString(CultureInfo.InvariantCulture)), models.Select(g => g.First()[1]));
        foreach (var model in models)
        {
            Assert.Equal(1.0, model.Sum(x => double.Parse(x[5], CultureInfo.InvariantCulture)), 9);
            Assert.Equal(1.0, model.Sum(x => double.Parse(x[6], CultureInfo.InvariantCulture)), 9);
            var error = model.Sum(x => Math.Abs(double.Parse(x[5], CultureInfo.InvariantCulture) - double.Parse(x[6], CultureInfo.InvariantCulture)));
            Assert.Equal(double.Parse(model.First()[2], CultureInfo.InvariantCulture), error, 9);
        }

        Assert.True(errors[models.FindIndex(g => g.Key == "shapley")] < errors[models.FindIndex(g => g.Key == "last-touch")]);
    }

    [Fact]
    public void EvaluateDrawsATableABarChartAndAnSvgChart()
    {
        var events = Simulate("events.csv", "--people", "2000", "--scenario", "direct");
        var chart = Path.Combine(Path.GetDirectoryName(events)!, "chart.svg");
        var r = CliRunner.Run("evaluate", "--events", events, "--truth", Path.ChangeExtension(events, ".truth.csv"), "--models", "last-touch,markov", "--chart", chart);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("truth", r.Out);
        Assert.Contains("Direct + (none)", r.Out);
        Assert.Contains("error by model", r.Out);
        Assert.Contains("half of it is the share of conversions credited to the wrong channel", r.Out);
        var svg = System.Xml.Linq.XDocument.Load(chart);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains(texts, t => t.Contains("markov", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("last-touch", StringComparison.Ordinal));
        Assert.Contains("Paid Search", texts);
    }

    [Fact]
    public void EvaluateJsonHasTheTruthAndARankedModelListAndSimulateWritesJsonLinesAndTheTruthWhereAsked()
    {
        var dir = Path.GetDirectoryName(CliRunner.TempFile("x", string.Empty))!;
        var events = Path.Combine(dir, "events.jsonl");
        var truth = Path.Combine(dir, "my-truth.csv");
        Assert.Equal(0, CliRunner.Run("simulate", "--out", events, "--people", "1500", "--scenario", "noise", "--truth", truth).ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, "events.truth.csv")));
        var r = CliRunner.Run("evaluate", "--events", events, "--truth", truth, "--format", "json", "--models", "linear,shapley");
        Assert.Equal(0, r.ExitCode);
        var root = JsonDocument.Parse(r.Out).RootElement;
        Assert.Contains(root.GetProperty("truth").EnumerateArray(), c => c.GetProperty("channel").GetString() == "Affiliates" && c.GetProperty("true_share").GetDouble() == 0);
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal([1, 2], models.Select(m => m.GetProperty("rank").GetInt32()));
        Assert.True(models[0].GetProperty("error").GetDouble() <= models[1].GetProperty("error").GetDouble());
    }

    [Fact]
    public void ACustomScenarioFileDrivesTheSimulation()
    {
        var config = CliRunner.TempFile("scenario.yaml", """
            name: two-channels
            baseline: 0
            channels:
              - {name: Email, reach: 1, lift: 1}
              - {name: Display, reach: 1, lift: 0}
            """);
        var events = CliRunner.TempFile("events.csv", string.Empty);
        var r = CliRunner.Run("simulate", "--out", events, "--people", "20", "--config", config, "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var truth = File.ReadAllLines(Path.ChangeExtension(events, ".truth.csv"));
        Assert.Equal(["channel,incremental_conversions,true_share", "Email,20,1", "Display,0,0", "(none),0,0", "(overdetermined),0,"], truth);
        Assert.Equal(truth, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));

        var json = JsonDocument.Parse(CliRunner.Run("simulate", "--out", events, "--people", "20", "--config", config, "--format", "json").Out).RootElement;
        Assert.Equal(("two-channels", 20, 0), (json.GetProperty("scenario").GetString(), json.GetProperty("conversions").GetInt32(), json.GetProperty("baseline").GetInt32()));
        Assert.Equal(20, json.GetProperty("channels")[0].GetProperty("incremental_conversions").GetInt32());
    }

    [Fact]
    public void ABadScenarioFileIsRefusedWithEveryProblemsLineFieldAndValue()
    {
        var config = CliRunner.TempFile("scenario.yaml", "baseline: 2\nchannels:\n  - {name: Email, lift: x}\n");
        var r = CliRunner.Run("simulate", "--out", CliRunner.TempFile("e.csv", string.Empty), "--config", config);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 1: baseline '2': must be a probability between 0 and 1", r.Error);
        Assert.Contains("line 3: channels[1].lift 'x': not a number", r.Error);
    }

    [Fact]
    public void AnUnknownScenarioNamesTheBuiltInOnes()
    {
        var r = CliRunner.Run("simulate", "--out", CliRunner.TempFile("e.csv", string.Empty), "--scenario", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--scenario 'nope': unknown scenario; built-in scenarios: closer, introducer, noise, direct, mixed", r.Error);
    }
}
