using System.CommandLine;
using OpenAttribution.Server;

namespace OpenAttribution.Cli.Commands;

/// <summary>
/// <c>attribution serve --store STORE [--urls URL] [--SETTING VALUE ...]</c>: the HTTP API, tracker and
/// dashboard (spec section 8). Every setting of docs/server.md is an option of its own, passed on to
/// the server's configuration.
/// </summary>
internal static class ServeCommand
{
    private static readonly (string Name, bool Whole, string Description)[] Settings =
    [
        ("maxBodyBytes", true, "Largest POST /v1/events body in bytes (4194304)"),
        ("queueCapacity", true, "Request batches a workspace's writer holds before 503 (512)"),
        ("maxEventsPerCommit", true, "Most events one group commit takes (50000)"),
        ("maxConcurrentReports", true, "Reports computed at once (the cores, at least 2)"),
        ("maxQueuedReports", true, "Reports waiting for a turn before 503 (16)"),
        ("reportTimeoutSeconds", false, "A report not done after this many seconds is stopped (60)"),
        ("maxMarkovWork", false, "Most solver operations one Markov report may take (5e10)"),
    ];

    public static Command Create(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("serve", "Run the server: ingestion API, reports API, the /t.js tracker and the dashboard at /");
        command.Options.Add(store);
        command.Options.Add(urls);
        // Typed, so that a value that is not a number is the parser's clear error naming the option.
        var settings = Settings.Select(x => (x.Name, Option: x.Whole
            ? (Option)new Option<int?>("--" + x.Name) { Description = x.Description }
            : new Option<double?>("--" + x.Name) { Description = x.Description })).ToList();
        foreach (var (_, option) in settings)
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var location = result.GetValue(store)!;
            var args = new List<string> { "--store", location, "--urls", result.GetValue(urls)! };
            foreach (var (name, option) in settings)
            {
                var value = option is Option<int?> whole
                    ? result.GetValue(whole)?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : result.GetValue((Option<double?>)option)?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                if (value is not null)
                {
                    args.AddRange(["--" + name, value]);
                }
            }

            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = Input.StoreAccess.Opening(location, () => ServerApp.Build([.. args]));
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException ex)
            {
                throw new CliException(string.Join("; ", ex.Failures));
            }

            context.Error.WriteLine($"serving {Input.StoreAccess.Redact(location)} on {result.GetValue(urls)} (dashboard at /, tracker at /t.js, API under /v1, OpenAPI at /openapi/v1.json)");
            app.Run();
            return 0;
        });
        return command;
    }
}
