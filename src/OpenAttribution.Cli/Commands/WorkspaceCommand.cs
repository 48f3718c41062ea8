using System.CommandLine;
using System.Text.Json.Nodes;
using OpenAttribution.Cli.Input;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Options;
using OpenAttribution.Server.Workspaces;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Cli.Commands;

/// <summary>
/// <c>attribution workspace create NAME --store STORE</c> and <c>workspace list</c> (spec section 8), and
/// <c>workspace admin-key NAME --store STORE</c>, which issues a new admin key.
/// </summary>
internal static class WorkspaceCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("workspace", "Workspaces of the server: each has its own events, a write key and a read key");
        command.Subcommands.Add(CreateCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(AdminKeyCommand(context));
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Workspace name: letters, digits, '-', '_', '.'" };
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        var command = new Command("create", "Create a workspace and print its write, read and admin keys (shown only once: the store keeps their hashes)");
        command.Arguments.Add(name);
        command.Options.Add(store);
        command.Options.Add(format);
        command.SetAction(result =>
        {
            var json = Format(result.GetValue(format));
            using var catalog = OpenCatalog(result.GetValue(store)!);
            CreatedWorkspace created;
            try
            {
                created = WorkspaceAdmin.Create(catalog, result.GetValue(name)!, TimeProvider.System);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.MessageWithoutParameter());
            }
            catch (WorkspaceExistsException ex)
            {
                throw new CliException(ex.Message);
            }

            if (json)
            {
                JsonOut.Write(context.Out, new JsonObject { ["workspace"] = created.Workspace, ["write_key"] = created.WriteKey, ["read_key"] = created.ReadKey, ["admin_key"] = created.AdminKey });
            }
            else
            {
                context.Out.WriteLine($"workspace: {created.Workspace}");
                context.Out.WriteLine($"write key: {created.WriteKey}");
                context.Out.WriteLine($"read key:  {created.ReadKey}");
                context.Out.WriteLine($"admin key: {created.AdminKey}");
                context.Error.WriteLine("The write key sends events (POST /v1/events, the tracker snippet); it is public by design. The read key opens reports and the dashboard: keep it secret. The admin key can also replace and delete costs: keep it for yourself. None can be shown again.");
            }

            return 0;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var command = new Command("list", "List the workspaces of a store");
        command.Options.Add(store);
        command.SetAction(result =>
        {
            using var catalog = OpenCatalog(result.GetValue(store)!);
            foreach (var w in catalog.List())
            {
                context.Out.WriteLine($"{w.Name}\tcreated {w.Created:yyyy-MM-dd HH:mm:ss}Z");
            }

            return 0;
        });
        return command;
    }

    private static Command AdminKeyCommand(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Workspace name" };
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var command = new Command("admin-key", "Issue a new admin key for a workspace (the old one, if any, stops working); printed once");
        command.Arguments.Add(name);
        command.Options.Add(store);
        command.SetAction(result =>
        {
            using var catalog = OpenCatalog(result.GetValue(store)!);
            var workspace = result.GetValue(name)!;
            var key = WorkspaceAdmin.NewAdminKey(catalog, workspace) ?? throw new CliException($"workspace '{workspace}': no such workspace in this store");
            context.Out.WriteLine(key);
            context.Error.WriteLine("A server on a PostgreSQL store takes the new key within a second; the old admin key no longer works.");
            return 0;
        });
        return command;
    }

    private static IWorkspaceCatalog OpenCatalog(string store) => StoreAccess.Opening(store, () => WorkspaceCatalogs.Open(store));

    private static bool Format(string? text) => text?.ToLowerInvariant() switch
    {
        "table" or null => false,
        "json" => true,
        var other => throw new CliException($"--format '{other}': use table or json"),
    };
}
