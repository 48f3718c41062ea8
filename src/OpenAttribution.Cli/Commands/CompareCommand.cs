using System.CommandLine;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;
using OpenAttribution.Core.Reports;

namespace OpenAttribution.Cli.Commands;

internal static class CompareCommand
{
    public const string DefaultModels = ReportOptionParser.DefaultModels;

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
            var results = options.RunModels(context, result, specs, dimension);
            ResultWriter.Compare(context, new ModelComparison(results), dimension, format);
            return 0;
        });
        return command;
    }

    public static IReadOnlyList<ModelSpec> ParseModels(CommonOptions options, System.CommandLine.ParseResult result, string text) =>
        CommonOptions.Parse(() => ReportOptionParser.Models(text, n => options.GetModel(result, n)));
}
