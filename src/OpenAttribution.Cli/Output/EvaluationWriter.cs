using System.Globalization;
using System.Text.Json.Nodes;
using OpenAttribution.Core.Evaluation;
using OpenAttribution.Core.Simulation;
using Spectre.Console;

namespace OpenAttribution.Cli.Output;

/// <summary>Writes a simulation's truth and a model evaluation as tables (with a bar chart), CSV or JSON.</summary>
internal static class EvaluationWriter
{
    public const string ErrorMeaning =
        "error = total absolute difference between a model's credit shares and the true shares: 0 is exact, 2 is all wrong; half of it is the share of conversions credited to the wrong channel.";

    public static void Truth(CliContext context, string scenario, GroundTruth truth, OutputFormat format)
    {
        if (format == OutputFormat.Csv)
        {
            GroundTruthFile.Write(context.Out, truth);
            return;
        }

        if (format == OutputFormat.Json)
        {
            JsonOut.Write(context.Out, new JsonObject
            {
                ["scenario"] = scenario,
                ["conversions"] = truth.Conversions,
                ["baseline"] = truth.Baseline,
                ["overdetermined"] = truth.Overdetermined,
                ["channels"] = new JsonArray(truth.Channels.Select(c => (JsonNode?)new JsonObject
                {
                    ["channel"] = c.Channel,
                    ["incremental_conversions"] = c.Incremental,
                    ["true_share"] = truth.Share(c.Incremental),
                }).ToArray()),
            });
            return;
        }

        var table = new Table().Title($"True incremental conversions: scenario [bold]{Markup.Escape(scenario)}[/]");
        table.AddColumn("channel");
        table.AddColumn(new TableColumn("incremental conversions").RightAligned());
        table.AddColumn(new TableColumn("true share").RightAligned());
        foreach (var row in truth.Rows())
        {
            var label = row.Channel == GroundTruth.BaselineKey ? "(none): baseline" : row.Channel;
            table.AddRow(Markup.Escape(label), Numbers.Human(row.Incremental), Numbers.Share(row.Incremental, truth.Assigned));
        }

        table.AddRow("(overdetermined)", Numbers.Human(truth.Overdetermined), "-");
        table.AddRow("[bold]conversions[/]", $"[bold]{Numbers.Human(truth.Conversions)}[/]", string.Empty);
        context.Console.Write(table);
    }

    public static void Evaluation(CliContext context, ModelEvaluation evaluation, OutputFormat format)
    {
        var channels = evaluation.Channels;
        var scores = evaluation.Scores;
        switch (format)
        {
            case OutputFormat.Csv:
                context.Out.WriteLine("model,rank,error,channel,conversions,share,true_share");
                for (var m = 0; m < scores.Count; m++)
                {
                    var s = scores[m];
                    for (var k = 0; k < channels.Count; k++)
                    {
                        Csv.Row(context.Out, s.Model, (m + 1).ToString(CultureInfo.InvariantCulture), Numbers.Machine(s.Error), channels[k],
                            Numbers.Machine(s.Conversions[k]), Numbers.Machine(s.Shares[k]), Numbers.Machine(evaluation.TrueShares[k]));
                    }
                }

                break;
            case OutputFormat.Json:
                JsonOut.Write(context.Out, new JsonObject
                {
                    ["error"] = ErrorMeaning,
                    ["truth"] = new JsonArray(channels.Select((c, k) => (JsonNode?)new JsonObject
                    {
                        ["channel"] = c,
                        ["incremental_conversions"] = evaluation.TrueConversions[k],
                        ["true_share"] = evaluation.TrueShares[k],
                    }).ToArray()),
                    ["models"] = new JsonArray(scores.Select((s, m) => (JsonNode?)new JsonObject
                    {
                        ["model"] = s.Model,
                        ["rank"] = m + 1,
                        ["error"] = s.Error,
                        ["rows"] = new JsonArray(channels.Select((c, k) => (JsonNode?)new JsonObject
                        {
                            ["channel"] = c,
                            ["conversions"] = s.Conversions[k],
                            ["share"] = s.Shares[k],
                            ["true_share"] = evaluation.TrueShares[k],
                        }).ToArray()),
                    }).ToArray()),
                });
                break;
            default:
                var table = new Table().Title("Credit share by channel: the truth beside each model (best first)");
                table.AddColumn("channel");
                table.AddColumn(new TableColumn("[bold]truth[/]").RightAligned());
                foreach (var s in scores)
                {
                    table.AddColumn(new TableColumn(Markup.Escape(s.Model)).RightAligned());
                }

                for (var k = 0; k < channels.Count; k++)
                {
                    var cells = new List<string> { Markup.Escape(channels[k]), $"[bold]{Percent(evaluation.TrueShares[k])}[/]" };
                    cells.AddRange(scores.Select(s => Percent(s.Shares[k])));
                    table.AddRow(cells.ToArray());
                }

                var errors = new List<string> { "[bold]error[/]", string.Empty };
                errors.AddRange(scores.Select(s => $"[bold]{Error(s.Error)}[/]"));
                table.AddRow(errors.ToArray());
                context.Console.Write(table);

                var chart = new BarChart().Label("[bold]error by model[/] (lower is better)").Width(72);
                for (var m = 0; m < scores.Count; m++)
                {
                    chart.AddItem($"{m + 1}. {Markup.Escape(scores[m].Model)}", Math.Round(scores[m].Error, 3), m == 0 ? Color.Green : Color.Grey);
                }

                context.Console.Write(chart);
                context.Out.WriteLine(ErrorMeaning);
                break;
        }
    }

    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Error(double error) => error.ToString("0.000", CultureInfo.InvariantCulture);
}
