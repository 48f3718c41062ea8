using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Journeys;
using Spectre.Console;

namespace OpenAttribution.Cli.Commands;

internal static class MarkovCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var matrix = new Option<string?>("--transition-matrix") { Description = "Write the transition matrix (from,to,probability) to this CSV file" };
        var command = new Command("markov", "Exact Markov chain removal effects, credited conversions and value per channel");
        command.Options.Add(matrix);
        options.AddTo(command, withModels: false);
        command.Options.Add(options.Order);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var order = result.GetValue(options.Order);
            if (order is < 1 or > 12)
            {
                throw new CliException($"--order '{order}': must be between 1 and 12");
            }

            var dimension = options.GetDimension(result);
            var table = options.LoadPathTable(context, result, dimension);
            var matrixFile = result.GetValue(matrix);
            var markov = ReportCommand.Run(() => MarkovModel.Compute(table, order, includeTransitions: matrixFile is not null));
            if (matrixFile is not null)
            {
                using var writer = new StreamWriter(matrixFile);
                writer.WriteLine("from,to,probability");
                foreach (var t in markov.Transitions)
                {
                    Csv.Row(writer, t.From, t.To, Numbers.Machine(t.Probability));
                }

                context.Error.WriteLine($"wrote {markov.Transitions.Count:N0} transitions to {matrixFile}");
            }

            Write(context, markov, ResultWriter.DimensionName(dimension), format);
            return 0;
        });
        return command;
    }

    private static void Write(CliContext context, MarkovResult markov, string dimension, OutputFormat format)
    {
        var order = Enumerable.Range(0, markov.Channels.Count)
            .Where(c => markov.Conversions[c] != 0 || markov.RemovalEffects[c] != 0 || markov.Values[c] != 0)
            .OrderByDescending(c => markov.RemovalEffects[c]).ThenBy(c => markov.Channels[c], StringComparer.Ordinal)
            .ToList();
        switch (format)
        {
            case OutputFormat.Csv:
                context.Out.WriteLine($"{dimension},removal_effect,conversions,value");
                foreach (var c in order)
                {
                    Csv.Row(context.Out, markov.Channels[c], Numbers.Machine(markov.RemovalEffects[c]), Numbers.Machine(markov.Conversions[c]), Numbers.Machine(markov.Values[c]));
                }

                break;
            case OutputFormat.Json:
                JsonOut.Write(context.Out, new JsonObject
                {
                    ["order"] = markov.Order,
                    ["conversion_probability"] = markov.ConversionProbability,
                    ["rows"] = new JsonArray(order.Select(c => (JsonNode?)new JsonObject
                    {
                        ["key"] = markov.Channels[c],
                        ["removal_effect"] = markov.RemovalEffects[c],
                        ["value_removal_effect"] = markov.ValueRemovalEffects[c],
                        ["conversions"] = markov.Conversions[c],
                        ["value"] = markov.Values[c],
                    }).ToArray()),
                });
                break;
            default:
                var table = new Table().Title($"Markov chain, order {markov.Order}: P(conversion) = {markov.ConversionProbability.ToString("0.######", CultureInfo.InvariantCulture)}");
                table.AddColumn(dimension).AddColumn(new TableColumn("removal effect").RightAligned()).AddColumn(new TableColumn("conversions").RightAligned()).AddColumn(new TableColumn("value").RightAligned());
                foreach (var c in order)
                {
                    table.AddRow(Markup.Escape(markov.Channels[c]), markov.RemovalEffects[c].ToString("0.000000", CultureInfo.InvariantCulture), Numbers.Human(markov.Conversions[c]), Numbers.Human(markov.Values[c]));
                }

                context.Console.Write(table);
                break;
        }
    }
}
