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
    private static readonly (string Name, Type Kind, string Description)[] Settings =
    [
        ("maxBodyBytes", typeof(int), "Largest POST /v1/events body in bytes (4194304)"),
        ("queueCapacity", typeof(int), "Request batches a workspace's writer holds before 503 (512)"),
        ("maxEventsPerCommit", typeof(int), "Most events one group commit takes (50000)"),
        ("maxConcurrentReports", typeof(int), "Reports computed at once (the cores, at least 2)"),
        ("maxQueuedReports", typeof(int), "Reports waiting for a turn before 503 (16)"),
        ("reportTimeoutSeconds", typeof(double), "A report not done after this many seconds is stopped (60)"),
        ("maxMarkovWork", typeof(double), "Most solver operations one Markov report may take (5e10)"),
        ("adminOnlyCosts", typeof(bool), "POST /v1/costs needs the admin key, not the public write key (false)"),
    ];

    public static Command Create(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("serve", "Run the server: ingestion API, reports API, the /t.js tracker and the dashboard at /");
        command.Options.Add(store);
        command.Options.Add(urls);
        // Typed, so that a value that is not a number is the parser's clear error naming the option.
        var settings = Settings.Select(x => (x.Name, Option: x.Kind == typeof(int)
            ? (Option)new Option<int?>("--" + x.Name) { Description = x.Description }
            : x.Kind == typeof(double)
                ? new Option<double?>("--" + x.Name) { Description = x.Description }
                : new Option<bool?>("--" + x.Name) { Description = x.Description })).ToList();
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
                var value = option switch
                {
                    Option<int?> whole => result.GetValue(whole)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Option<double?> number => result.GetValue(number)?.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    _ => result.GetValue((Option<bool?>)option) is { } flag ? (flag ? "true" : "false") : null,
                };
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
