using System.CommandLine;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var model = new Option<string>("--model") { Description = "Model: " + string.Join(", ", ModelNames.CliNames), DefaultValueFactory = _ => "last-touch" };
        var command = new Command("report", "Credit conversions and value to channels (or sources, mediums, campaigns) with one model");
        command.Options.Add(model);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var dimension = options.GetDimension(result);
            var spec = options.GetModel(result, result.GetValue(model)!);
            var journeys = options.LoadJourneys(context, result);
            var attribution = Run(() => AttributionEngine.Run(journeys, spec, dimension));
            ResultWriter.Report(context, attribution, format);
            return 0;
        });
        return command;
    }

    /// <summary>Turns a model's refusal of its input (e.g. time decay on a path table) into a user error.</summary>
    public static T Run<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new CliException(ex.Message);
        }
    }
}
