using System.CommandLine;
using System.Text;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Cli.Commands;

internal static class SimulateCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Event file to write: .csv, or .jsonl for JSON Lines", Required = true };
        var people = new Option<long>("--people") { Description = "How many people", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<long>("--seed") { Description = "Random seed (same seed and scenario, same files)", DefaultValueFactory = _ => 42 };
        var scenario = new Option<string?>("--scenario") { Description = $"Built-in scenario: {string.Join(", ", BuiltInScenarios.Names)} (default {BuiltInScenarios.DefaultName})" };
        var config = new Option<string?>("--config") { Description = "Scenario file (YAML or JSON), see docs/evaluation.md" };
        var truth = new Option<string?>("--truth") { Description = "Truth file to write (CSV); default: next to --out, named <name>.truth.csv" };
        var format = new Option<string>("--format") { Description = "How to print the truth: table, csv or json", DefaultValueFactory = _ => "table" };
        var command = new Command("simulate", "Simulate journeys with known channel effects: an event file plus the true incremental conversions per channel");
        command.Options.Add(output);
        command.Options.Add(people);
        command.Options.Add(seed);
        command.Options.Add(scenario);
        command.Options.Add(config);
        command.Options.Add(truth);
        command.Options.Add(format);
        command.SetAction(result =>
        {
            var outputFormat = CommonOptions.GetFormat(result.GetValue(format));
            var n = result.GetValue(people);
            if (n < 1)
            {
                throw new CliException($"--people '{n}': must be at least 1");
            }

            var chosen = LoadScenario(result.GetValue(scenario), result.GetValue(config));
            var file = result.GetValue(output)!;
            var truthFile = result.GetValue(truth) ?? TruthPathFor(file);
            GroundTruth groundTruth;
            using (var writer = new StreamWriter(file, append: false, new UTF8Encoding(false), 1 << 16))
            {
                groundTruth = Simulator.Run(chosen, n, result.GetValue(seed), writer, Input.EventFileLoader.IsJsonLines(file));
            }

            using (var writer = new StreamWriter(truthFile, append: false, new UTF8Encoding(false)))
            {
                GroundTruthFile.Write(writer, groundTruth);
            }

            context.Error.WriteLine($"scenario {chosen.Name}: {n:N0} people, {groundTruth.Conversions:N0} conversions; wrote {file} and {truthFile}");
            EvaluationWriter.Truth(context, chosen.Name, groundTruth, outputFormat);
            return 0;
        });
        return command;
    }

    /// <summary>The default truth file: <c>dir/events.csv</c> gives <c>dir/events.truth.csv</c>.</summary>
    public static string TruthPathFor(string events) =>
        Path.Combine(Path.GetDirectoryName(events) ?? string.Empty, Path.GetFileNameWithoutExtension(events) + ".truth.csv");

    private static Scenario LoadScenario(string? name, string? config)
    {
        if (name is not null && config is not null)
        {
            throw new CliException("give --scenario NAME or --config FILE, not both");
        }

        if (config is not null)
        {
            try
            {
                return ScenarioReader.Parse(CommonOptions.ReadFile(config, "--config"));
            }
            catch (FormatException ex)
            {
                throw new CliException($"--config '{config}':{Environment.NewLine}{ex.Message}");
            }
        }

        name ??= BuiltInScenarios.DefaultName;
        return BuiltInScenarios.Find(name)
            ?? throw new CliException($"--scenario '{name}': unknown scenario; built-in scenarios: {string.Join(", ", BuiltInScenarios.Names)}");
    }
}
