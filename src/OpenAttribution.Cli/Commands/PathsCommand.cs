using System.CommandLine;
using System.Text.Json.Nodes;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Paths;
using OpenAttribution.Core.Reports;
using Spectre.Console;

namespace OpenAttribution.Cli.Commands;

internal static class PathsCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var top = new Option<int>("--top") { Description = "How many top conversion paths", DefaultValueFactory = _ => 20 };
        var section = new Option<string>("--section") { Description = "With --format csv: paths, lengths, lags or assists", DefaultValueFactory = _ => "paths" };
        var write = new Option<string?>("--write-path-table") { Description = "Also write a ChannelAttribution path table (converting and null paths) to this file" };
        var command = new Command("paths", "Top conversion paths, path length and time lag, assisted and last-touch conversions");
        command.Options.Add(top);
        command.Options.Add(section);
        command.Options.Add(write);
        options.AddTo(command, withModels: false);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var dimension = options.GetDimension(result);
            var n = result.GetValue(top);
            if (n < 1)
            {
                throw new CliException($"--top '{n}': must be at least 1");
            }

            // One pass over the journeys (streamed from a store when it can) feeds the report and the path table.
            var accumulator = new PathReportAccumulator(n, dimension);
            var paths = result.GetValue(write) is null ? null : new PathTableAccumulator(dimension);
            void Consume(JourneySet journeys)
            {
                accumulator.Add(journeys);
                paths?.Add(journeys);
            }

            if (!options.TryStreamJourneys(context, result, Consume))
            {
                var journeys = options.LoadJourneys(context, result);
                ReportCommand.Run(() =>
                {
                    Consume(journeys);
                    return 0;
                });
            }

            if (result.GetValue(write) is { } file)
            {
                var table = ReportCommand.Run(paths!.Build);
                using (var writer = new StreamWriter(file))
                {
                    PathTableWriter.Write(writer, table);
                }

                context.Error.WriteLine($"wrote {table.Count:N0} distinct paths ({table.TotalConversions:N0} conversions, {table.TotalNulls:N0} non-converting journeys) to {file}");
            }

            var report = ReportCommand.Run(accumulator.Build);
            Write(context, report, ResultWriter.DimensionName(dimension), format, result.GetValue(section)!);
            return 0;
        });
        return command;
    }

    private static void Write(CliContext context, PathReport report, string dimension, OutputFormat format, string section)
    {
        var w = context.Out;
        switch (format)
        {
            case OutputFormat.Csv:
                switch (section.ToLowerInvariant())
                {
                    case "paths":
                        w.WriteLine("path,length,conversions,value");
                        foreach (var p in report.TopPaths)
                        {
                            Csv.Row(w, p.Path, p.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Numbers.Machine(p.Conversions), Numbers.Machine(p.Value));
                        }

                        break;
                    case "lengths":
                        Distribution(w, "length", report.PathLengths);
                        break;
                    case "lags":
                        Distribution(w, "days", report.TimeLags);
                        break;
                    case "assists":
                        w.WriteLine($"{dimension},last_touch_conversions,last_touch_value,assisted_conversions,assisted_value");
                        foreach (var a in report.Assists)
                        {
                            Csv.Row(w, a.Key, Numbers.Machine(a.LastTouchConversions), Numbers.Machine(a.LastTouchValue), Numbers.Machine(a.AssistedConversions), Numbers.Machine(a.AssistedValue));
                        }

                        break;
                    default:
                        throw new CliException($"--section '{section}': use paths, lengths, lags or assists");
                }

                break;
            case OutputFormat.Json:
                JsonOut.Write(w, new JsonObject
                {
                    ["by"] = dimension,
                    ["total"] = new JsonObject { ["conversions"] = report.TotalConversions, ["value"] = report.TotalValue, ["distinct_paths"] = report.DistinctPaths },
                    ["paths"] = new JsonArray(report.TopPaths.Select(p => (JsonNode?)new JsonObject { ["path"] = p.Path, ["length"] = p.Length, ["conversions"] = p.Conversions, ["value"] = p.Value }).ToArray()),
                    ["path_lengths"] = Buckets(report.PathLengths),
                    ["time_lags"] = Buckets(report.TimeLags),
                    ["assists"] = new JsonArray(report.Assists.Select(a => (JsonNode?)new JsonObject
                    {
                        ["key"] = a.Key,
                        ["last_touch_conversions"] = a.LastTouchConversions,
                        ["last_touch_value"] = a.LastTouchValue,
                        ["assisted_conversions"] = a.AssistedConversions,
                        ["assisted_value"] = a.AssistedValue,
                        ["assisted_last_ratio"] = JsonOut.Number(a.Ratio),
                    }).ToArray()),
                });
                break;
            default:
                var total = report.TotalConversions;
                var paths = new Table().Title($"Top conversion paths ({report.DistinctPaths:N0} distinct, {Numbers.Human(total)} conversions)");
                paths.AddColumn("path").AddColumn(new TableColumn("conversions").RightAligned()).AddColumn(new TableColumn("share").RightAligned()).AddColumn(new TableColumn("value").RightAligned());
                foreach (var p in report.TopPaths)
                {
                    paths.AddRow(Markup.Escape(p.Path), Numbers.Human(p.Conversions), Numbers.Share(p.Conversions, total), Numbers.Human(p.Value));
                }

                context.Console.Write(paths);
                context.Console.Write(Chart("Path length (touches)", report.PathLengths));
                if (report.TimeLags.Count > 0)
                {
                    context.Console.Write(Chart("Time lag (days from first touch)", report.TimeLags));
                }

                var assists = new Table().Title("Assisted and last-touch conversions");
                assists.AddColumn(dimension).AddColumn(new TableColumn("last-touch").RightAligned()).AddColumn(new TableColumn("assisted").RightAligned())
                    .AddColumn(new TableColumn("assisted / last").RightAligned()).AddColumn(new TableColumn("assisted value").RightAligned());
                foreach (var a in report.Assists)
                {
                    assists.AddRow(Markup.Escape(a.Key), Numbers.Human(a.LastTouchConversions), Numbers.Human(a.AssistedConversions),
                        double.IsFinite(a.Ratio) ? a.Ratio.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "-", Numbers.Human(a.AssistedValue));
                }

                context.Console.Write(assists);
                break;
        }
    }

    private static BarChart Chart(string title, IReadOnlyList<DistributionRow> rows)
    {
        var chart = new BarChart().Label(title).Width(70);
        foreach (var r in rows)
        {
            chart.AddItem(r.Bucket, Math.Round(r.Conversions, 2), Color.SteelBlue);
        }

        return chart;
    }

    private static JsonArray Buckets(IReadOnlyList<DistributionRow> rows) =>
        new(rows.Select(r => (JsonNode?)new JsonObject { ["bucket"] = r.Bucket, ["conversions"] = r.Conversions, ["value"] = r.Value }).ToArray());

    private static void Distribution(TextWriter w, string name, IReadOnlyList<DistributionRow> rows)
    {
        w.WriteLine($"{name},conversions,value");
        foreach (var r in rows)
        {
            Csv.Row(w, r.Bucket, Numbers.Machine(r.Conversions), Numbers.Machine(r.Value));
        }
    }
}
