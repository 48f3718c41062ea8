using System.CommandLine;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;

namespace OpenAttribution.Cli.Commands;

internal static class CompareCommand
{
    public const string DefaultModels = "last-touch,first-touch,last-non-direct,linear,time-decay,position-based";

    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var models = new Option<string>("--models") { Description = "Comma-separated models; the first is the baseline", DefaultValueFactory = _ => DefaultModels };
        var command = new Command("compare", "The model comparison view: several models side by side, with each one's change against the first");
        command.Options.Add(models);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var dimension = options.GetDimension(result);
            var specs = ParseModels(options, result, result.GetValue(models)!);
            var journeys = options.LoadJourneys(context, result);
            var results = ReportCommand.Run(() => AttributionEngine.Run(journeys, specs, dimension));
            ResultWriter.Compare(context, new ModelComparison(results), dimension, format);
            return 0;
        });
        return command;
    }

    public static IReadOnlyList<ModelSpec> ParseModels(CommonOptions options, System.CommandLine.ParseResult result, string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new CliException($"--models '{text}': name at least one model");
        }

        var specs = names.Select(n => options.GetModel(result, n)).ToList();
        var duplicate = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? specs : throw new CliException($"--models '{text}': '{duplicate.Key}' is named twice");
    }
}
