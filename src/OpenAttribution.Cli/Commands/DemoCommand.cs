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
        var dir = new Option<string?>("--dir") { Description = "Folder for the generated events.csv and demo.duckdb (default: openattribution-demo in the temp folder)" };
        var command = new Command("demo", "Generate sample events, import them into a DuckDB store and show the model comparison from it, data-driven models included");
        command.Options.Add(people);
        command.Options.Add(dir);
        command.SetAction(result =>
        {
            var n = result.GetValue(people);
            if (n < 1)
            {
                throw new CliException($"--people '{n}': must be at least 1");
            }

            var folder = result.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), "openattribution-demo");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "events.csv");
            var count = GenerateCommand.Generate(context, file, new GeneratorOptions { People = n });
            context.Error.WriteLine($"generated {count:N0} events for {n:N0} people in {file}");

            // The embedded default store, made afresh: the demo runs what `import` and `compare --store` run.
            var store = Path.Combine(folder, "demo.duckdb");
            File.Delete(store);
            File.Delete(store + ".wal");
            using (var events = StoreAccess.Open(store))
            {
                ImportCommand.ImportFile(context, events, file, rejects: null);
            }

            var models = ModelNames.RuleBased.Select(ModelSpec.Of).Append(ModelSpec.Of(ModelKind.Markov)).Append(ModelSpec.Of(ModelKind.Shapley)).ToList();
            var accumulator = new AttributionAccumulator(models, Dimension.Channel);
            if (!StoreAccess.TryStreamJourneys(context, store, ChannelGrouping.Default, new JourneyOptions(), accumulator.Add))
            {
                throw new InvalidOperationException($"{store}: the DuckDB store did not stream its journeys");
            }

            ResultWriter.Compare(context, new ModelComparison(ReportCommand.Run(() => accumulator.Results())), Dimension.Channel, OutputFormat.Table);
            context.Out.WriteLine();
            context.Out.WriteLine("Next, try:");
            context.Out.WriteLine($"  attribution paths --store {store} --top 10");
            context.Out.WriteLine($"  attribution report --store {store} --model markov --order 2 --by campaign");
            context.Out.WriteLine($"  attribution compare --events {file} --by campaign --format csv");
            context.Out.WriteLine($"  attribution serve --store {store}      # the dashboard on http://127.0.0.1:5080");
            return 0;
        });
        return command;
    }
}
