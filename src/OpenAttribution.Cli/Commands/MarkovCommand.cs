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
        var orderOption = new Option<string>("--order")
        {
            Description = "Markov chain order (states are the last K channels), or auto: the smallest order that separates held-out converting journeys as well as any up to --max-order",
            DefaultValueFactory = _ => "1",
        };
        var maxOrder = new Option<int>("--max-order") { Description = "Highest order --order auto considers", DefaultValueFactory = _ => MarkovOrderSelection.DefaultMaxOrder };
        var command = new Command("markov", "Exact Markov chain removal effects, credited conversions and value per channel");
        command.Options.Add(matrix);
        options.AddTo(command, withModels: false);
        command.Options.Add(orderOption);
        command.Options.Add(maxOrder);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var orderText = result.GetValue(orderOption)?.Trim() ?? "1";
            var auto = string.Equals(orderText, "auto", StringComparison.OrdinalIgnoreCase);
            var order = 0;
            if (!auto && (!int.TryParse(orderText, NumberStyles.None, CultureInfo.InvariantCulture, out order) || order is < 1 or > 12))
            {
                throw new CliException($"--order '{orderText}': must be auto or a whole number between 1 and 12");
            }

            var highest = result.GetValue(maxOrder);
            if (auto && highest is < 1 or > 12)
            {
                throw new CliException($"--max-order '{highest}': must be between 1 and 12");
            }

            var dimension = options.GetDimension(result);
            var table = options.LoadPathTable(context, result, dimension);
            MarkovOrderChoice? choice = null;
            if (auto)
            {
                choice = ReportCommand.Run(() => MarkovOrderSelection.Choose(table, highest));
                order = choice.Order;
                if (format != OutputFormat.Json)
                {
                    WriteChoice(context, choice, format);
                }
            }

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

            Write(context, markov, ResultWriter.DimensionName(dimension), format, choice);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The evidence for the order chosen: a table before the results, or for CSV (whose standard output
    /// is the results alone) lines on standard error.
    /// </summary>
    private static void WriteChoice(CliContext context, MarkovOrderChoice choice, OutputFormat format)
    {
        string F(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);
        if (format == OutputFormat.Csv)
        {
            foreach (var s in choice.Scores)
            {
                context.Error.WriteLine($"order {s.Order}: {s.States:N0} states, AUC {F(s.Auc)}, held-out AUC {F(s.HeldOutAuc)}");
            }

            context.Error.WriteLine($"order auto: chose {choice.Order} (the smallest within {choice.Tolerance} of the best held-out AUC, {choice.Folds} folds)");
            return;
        }

        var table = new Table().Title($"Markov order chosen: {choice.Order} (smallest held-out AUC within {choice.Tolerance} of the best, {choice.Folds} folds)");
        table.AddColumn("order").AddColumn(new TableColumn("states").RightAligned()).AddColumn(new TableColumn("AUC").RightAligned()).AddColumn(new TableColumn("held-out AUC").RightAligned()).AddColumn("");
        foreach (var s in choice.Scores)
        {
            table.AddRow(s.Order.ToString(CultureInfo.InvariantCulture), s.States.ToString("N0", CultureInfo.InvariantCulture), F(s.Auc), F(s.HeldOutAuc), s.Order == choice.Order ? "chosen" : "");
        }

        context.Console.Write(table);
    }

    private static void Write(CliContext context, MarkovResult markov, string dimension, OutputFormat format, MarkovOrderChoice? choice)
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
                var json = new JsonObject
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
                };
                if (choice is not null)
                {
                    json["order_selection"] = new JsonObject
                    {
                        ["chosen"] = choice.Order,
                        ["folds"] = choice.Folds,
                        ["tolerance"] = choice.Tolerance,
                        ["orders"] = new JsonArray(choice.Scores.Select(s => (JsonNode?)new JsonObject
                        {
                            ["order"] = s.Order,
                            ["states"] = s.States,
                            ["auc"] = s.Auc,
                            ["held_out_auc"] = s.HeldOutAuc,
                        }).ToArray()),
                    };
                }

                JsonOut.Write(context.Out, json);
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
