using System.CommandLine;
using System.Text;
using OpenAttribution.Core.Generation;
using Spectre.Console;

namespace OpenAttribution.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var people = new Option<int>("--people") { Description = "How many people", DefaultValueFactory = _ => 10_000 };
        var output = new Option<string>("--out") { Description = "Output file: .csv, or .jsonl for JSON Lines", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same file)", DefaultValueFactory = _ => 42 };
        var days = new Option<int>("--days") { Description = "Days over which people arrive", DefaultValueFactory = _ => 90 };
        var command = new Command("generate", "Write a realistic synthetic event file for demos and benchmarks");
        command.Options.Add(people);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(days);
        command.SetAction(result =>
        {
            var n = result.GetValue(people);
            if (n < 1)
            {
                throw new CliException($"--people '{n}': must be at least 1");
            }

            var d = result.GetValue(days);
            if (d < 1)
            {
                throw new CliException($"--days '{d}': must be at least 1");
            }

            var file = result.GetValue(output)!;
            var options = new GeneratorOptions { People = n, Seed = result.GetValue(seed), Days = d, JsonLines = Input.EventFileLoader.IsJsonLines(file) };
            var events = Generate(context, file, options);
            context.Error.WriteLine($"wrote {events:N0} events for {n:N0} people to {file}");
            return 0;
        });
        return command;
    }

    public static long Generate(CliContext context, string file, GeneratorOptions options)
    {
        using var writer = new StreamWriter(file, append: false, new UTF8Encoding(false), 1 << 16);
        if (!context.Interactive || options.People < 50_000)
        {
            return EventGenerator.Write(writer, options);
        }

        long events = 0;
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"Generating {Path.GetFileName(file)}", maxValue: options.People);
                events = EventGenerator.Write(writer, options, person =>
                {
                    if (person % 10_000 == 0)
                    {
                        task.Value = person;
                    }
                });
                task.Value = options.People;
            });
        return events;
    }
}
