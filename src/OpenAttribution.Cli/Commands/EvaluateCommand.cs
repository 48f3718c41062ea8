using System.CommandLine;
using System.Text;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Evaluation;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Cli.Commands;

internal static class EvaluateCommand
{
    /// <summary>The report's default models and the two data-driven ones.</summary>
    public const string DefaultModels = ReportOptionParser.DefaultModels + ",markov,shapley";

    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var truth = new Option<string>("--truth") { Description = "Truth file written by 'attribution simulate'", Required = true };
        var models = new Option<string>("--models") { Description = "Comma-separated models to score", DefaultValueFactory = _ => DefaultModels };
        var chart = new Option<string?>("--chart") { Description = "Also draw the shares and errors as an SVG file" };
        var command = new Command("evaluate", "Score attribution models against a simulation's true incremental conversions, best first");
        command.Options.Add(truth);
        command.Options.Add(models);
        command.Options.Add(chart);
        options.AddTo(command, withDimension: false);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var groundTruth = ReadTruth(result.GetValue(truth)!);
            var specs = CompareCommand.ParseModels(options, result, result.GetValue(models)!);
            var results = options.RunModels(context, result, specs, Dimension.Channel);
            var evaluation = ReportCommand.Run(() => ModelEvaluation.Evaluate(groundTruth, results));
            EvaluationWriter.Evaluation(context, evaluation, format);
            if (result.GetValue(chart) is { } file)
            {
                using var writer = new StreamWriter(file, append: false, new UTF8Encoding(false));
                SvgChart.Write(writer, evaluation);
                context.Error.WriteLine($"wrote {file}");
            }

            return 0;
        });
        return command;
    }

    private static GroundTruth ReadTruth(string file)
    {
        try
        {
            using var reader = new StringReader(CommonOptions.ReadFile(file, "--truth"));
            return GroundTruthFile.Read(reader);
        }
        catch (FormatException ex)
        {
            throw new CliException($"--truth '{file}':{Environment.NewLine}{ex.Message}");
        }
    }
}
