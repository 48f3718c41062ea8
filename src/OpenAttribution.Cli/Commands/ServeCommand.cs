using System.CommandLine;
using OpenAttribution.Server;

namespace OpenAttribution.Cli.Commands;

/// <summary><c>attribution serve --store STORE [--urls URL]</c>: the HTTP API, tracker and dashboard (spec section 8).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("serve", "Run the server: ingestion API, reports API, the /t.js tracker and the dashboard at /");
        command.Options.Add(store);
        command.Options.Add(urls);
        command.SetAction(result =>
        {
            var location = result.GetValue(store)!;
            var app = Input.StoreAccess.Opening(location, () => ServerApp.Build(["--store", location, "--urls", result.GetValue(urls)!]));

            context.Error.WriteLine($"serving {Input.StoreAccess.Redact(location)} on {result.GetValue(urls)} (dashboard at /, tracker at /t.js, API under /v1, OpenAPI at /openapi/v1.json)");
            app.Run();
            return 0;
        });
        return command;
    }
}
