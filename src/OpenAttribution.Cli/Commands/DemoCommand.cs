using System.CommandLine;
using OpenAttribution.Cli.Input;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;

namespace OpenAttribution.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var people = new Option<int>("--people") { Description = "How many synthetic people", DefaultValueFactory = _ => 20_000 };
        var command = new Command("demo", "Generate sample events and show the model comparison, data-driven models included");
        command.Options.Add(people);
        command.SetAction(result =>
        {
            var n = result.GetValue(people);
            if (n < 1)
            {
                throw new CliException($"--people '{n}': must be at least 1");
            }

            var folder = Path.Combine(Path.GetTempPath(), "openattribution-demo");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "events.csv");
            var count = GenerateCommand.Generate(context, file, new GeneratorOptions { People = n });
            context.Error.WriteLine($"generated {count:N0} events for {n:N0} people in {file}");

            var loaded = EventFileLoader.Load(context, file, ChannelGrouping.Default);
            var journeys = JourneyBuilder.Build(loaded.Events, new JourneyOptions());
            var models = ModelNames.RuleBased.Select(ModelSpec.Of).Append(ModelSpec.Of(ModelKind.Markov)).Append(ModelSpec.Of(ModelKind.Shapley)).ToList();
            var results = AttributionEngine.Run(journeys, models, Dimension.Channel);
            ResultWriter.Compare(context, new ModelComparison(results), Dimension.Channel, OutputFormat.Table);
            context.Out.WriteLine();
            context.Out.WriteLine("Next, try:");
            context.Out.WriteLine($"  attribution paths --events {file} --top 10");
            context.Out.WriteLine($"  attribution report --events {file} --model markov --order 2 --by channel");
            context.Out.WriteLine($"  attribution compare --events {file} --by campaign --format csv");
            return 0;
        });
        return command;
    }
}
