using System.Text.Json.Nodes;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;
using Spectre.Console;

namespace OpenAttribution.Cli.Output;

/// <summary>Writes attribution results as tables, CSV or JSON (spec section 7).</summary>
internal static class ResultWriter
{
    public static string DimensionName(Dimension d) => d.ToString().ToLowerInvariant();

    public static void Report(CliContext context, AttributionResult result, OutputFormat format)
    {
        var rows = result.Rows();
        var dimension = DimensionName(result.Dimension);
        var removal = result.RemovalEffects;
        var index = result.Keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        switch (format)
        {
            case OutputFormat.Csv:
                context.Out.WriteLine($"{dimension},conversions,value");
                foreach (var r in rows)
                {
                    Csv.Row(context.Out, r.Key, Numbers.Machine(r.Conversions), Numbers.Machine(r.Value));
                }

                break;
            case OutputFormat.Json:
                var array = new JsonArray();
                foreach (var r in rows)
                {
                    var o = new JsonObject { ["key"] = r.Key, ["conversions"] = r.Conversions, ["value"] = r.Value };
                    if (removal is not null)
                    {
                        o["removal_effect"] = removal[index[r.Key]];
                    }

                    array.Add(o);
                }

                JsonOut.Write(context.Out, new JsonObject
                {
                    ["model"] = result.Model.Name,
                    ["by"] = dimension,
                    ["rows"] = array,
                    ["total"] = new JsonObject { ["conversions"] = result.TotalConversions, ["value"] = result.TotalValue },
                });
                break;
            default:
                var table = new Table().Title($"[bold]{Markup.Escape(result.Model.Name)}[/] attribution by {dimension}");
                table.AddColumn(new TableColumn(dimension));
                if (removal is not null)
                {
                    table.AddColumn(new TableColumn("removal effect").RightAligned());
                }

                table.AddColumn(new TableColumn("conversions").RightAligned());
                table.AddColumn(new TableColumn("share").RightAligned());
                table.AddColumn(new TableColumn("value").RightAligned());
                var total = result.TotalConversions;
                foreach (var r in rows)
                {
                    var cells = new List<string> { Markup.Escape(r.Key) };
                    if (removal is not null)
                    {
                        cells.Add(removal[index[r.Key]].ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture));
                    }

                    cells.AddRange([Numbers.Human(r.Conversions), Numbers.Share(r.Conversions, total), Numbers.Human(r.Value)]);
                    table.AddRow(cells.ToArray());
                }

                var footer = new List<string> { "[bold]total[/]" };
                if (removal is not null)
                {
                    footer.Add(string.Empty);
                }

                footer.AddRange([$"[bold]{Numbers.Human(total)}[/]", "100%", $"[bold]{Numbers.Human(result.TotalValue)}[/]"]);
                table.AddRow(footer.ToArray());
                context.Console.Write(table);
                break;
        }
    }

    public static void Roi(CliContext context, AttributionResult result, IReadOnlyList<Core.Costs.RoiRow> rows, OutputFormat format)
    {
        var dimension = DimensionName(result.Dimension);
        switch (format)
        {
            case OutputFormat.Csv:
                context.Out.WriteLine($"{dimension},conversions,value,cost,roas,cpa");
                foreach (var r in rows)
                {
                    Csv.Row(context.Out, r.Key, Numbers.Machine(r.Conversions), Numbers.Machine(r.Value), Numbers.Machine(r.Cost),
                        r.Roas is { } roas ? Numbers.Machine(roas) : string.Empty, r.Cpa is { } cpa ? Numbers.Machine(cpa) : string.Empty);
                }

                break;
            case OutputFormat.Json:
                JsonOut.Write(context.Out, new JsonObject
                {
                    ["model"] = result.Model.Name,
                    ["by"] = dimension,
                    ["rows"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
                    {
                        ["key"] = r.Key,
                        ["conversions"] = r.Conversions,
                        ["value"] = r.Value,
                        ["cost"] = r.Cost,
                        ["roas"] = r.Roas,
                        ["cpa"] = r.Cpa,
                    }).ToArray()),
                });
                break;
            default:
                var table = new Table().Title($"[bold]{Markup.Escape(result.Model.Name)}[/] attribution and return on ad spend by {dimension}");
                table.AddColumn(dimension);
                foreach (var c in new[] { "conversions", "value", "cost", "ROAS", "CPA" })
                {
                    table.AddColumn(new TableColumn(c).RightAligned());
                }

                foreach (var r in rows)
                {
                    table.AddRow(Markup.Escape(r.Key), Numbers.Human(r.Conversions), Numbers.Human(r.Value), Numbers.Human(r.Cost),
                        r.Roas is { } roas ? roas.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "-",
                        r.Cpa is { } cpa ? Numbers.Human(cpa) : "-");
                }

                context.Console.Write(table);
                break;
        }
    }

    public static void Compare(CliContext context, ModelComparison comparison, Dimension dim, OutputFormat format)
    {
        var dimension = DimensionName(dim);
        var models = comparison.Models;
        switch (format)
        {
            case OutputFormat.Csv:
                context.Out.WriteLine($"model,{dimension},conversions,value");
                foreach (var result in comparison.Results)
                {
                    foreach (var r in result.Rows())
                    {
                        Csv.Row(context.Out, result.Model.Name, r.Key, Numbers.Machine(r.Conversions), Numbers.Machine(r.Value));
                    }
                }

                break;
            case OutputFormat.Json:
                var rows = new JsonArray();
                foreach (var result in comparison.Results)
                {
                    foreach (var r in result.Rows())
                    {
                        rows.Add(new JsonObject { ["model"] = result.Model.Name, ["key"] = r.Key, ["conversions"] = r.Conversions, ["value"] = r.Value });
                    }
                }

                JsonOut.Write(context.Out, new JsonObject
                {
                    ["by"] = dimension,
                    ["models"] = new JsonArray(models.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
                    ["rows"] = rows,
                });
                break;
            default:
                context.Console.Write(CompareTable(comparison, dimension, "conversions", r => r.Conversions));
                context.Console.Write(CompareTable(comparison, dimension, "value", r => r.Values));
                break;
        }
    }

    private static Table CompareTable(ModelComparison comparison, string dimension, string measure, Func<ComparisonRow, double[]> pick)
    {
        var models = comparison.Models;
        var table = new Table().Title($"Model comparison: {measure} by {dimension} (change against {Markup.Escape(models[0])})");
        table.AddColumn(dimension);
        for (var m = 0; m < models.Count; m++)
        {
            table.AddColumn(new TableColumn(Markup.Escape(models[m])).RightAligned());
        }

        var totals = new double[models.Count];
        foreach (var row in comparison.Rows)
        {
            var values = pick(row);
            var cells = new List<string> { Markup.Escape(row.Key) };
            for (var m = 0; m < models.Count; m++)
            {
                totals[m] += values[m];
                cells.Add(m == 0 ? Numbers.Human(values[m]) : $"{Numbers.Human(values[m])} [grey]{Numbers.Percent(Change(values[0], values[m]))}[/]");
            }

            table.AddRow(cells.ToArray());
        }

        table.AddRow(new[] { "[bold]total[/]" }.Concat(totals.Select(t => $"[bold]{Numbers.Human(t)}[/]")).ToArray());
        return table;
    }

    private static double? Change(double baseline, double x) => baseline == 0 ? null : (x - baseline) / baseline * 100;
}
