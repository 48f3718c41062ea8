using System.CommandLine;
using OpenAttribution.Cli.Input;
using OpenAttribution.Core.Costs;

namespace OpenAttribution.Cli.Commands;

/// <summary><c>attribution costs import --store STORE FILE</c>: ad spend for ROI reports.</summary>
internal static class CostsCommand
{
    public static Command Create(CliContext context)
    {
        var store = new Option<string>("--store") { Description = "Event store: a DuckDB file or postgresql://…", Required = true };
        var file = new Argument<string>("FILE") { Description = "CSV with date,channel,campaign,cost,currency" };
        var import = new Command("import", "Import costs (date, channel, campaign, cost, currency); every bad row is reported, good rows are stored together");
        import.Options.Add(store);
        import.Arguments.Add(file);
        import.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"FILE '{path}': file not found");
            }

            IReadOnlyList<CostRow> rows;
            IReadOnlyList<Core.Text.InputError> errors;
            try
            {
                using var reader = new StreamReader(path);
                (rows, errors) = CostReader.Read(reader);
            }
            catch (FormatException ex)
            {
                throw new CliException($"{path}: {ex.Message}");
            }

            foreach (var error in errors)
            {
                context.Error.WriteLine($"{Path.GetFileName(path)}: {error}");
            }

            using var events = StoreAccess.Open(result.GetValue(store)!);
            events.ImportCosts(rows);
            context.Error.WriteLine($"{Path.GetFileName(path)}: {rows.Count:N0} cost rows stored, {errors.Select(e => e.Line).Distinct().Count():N0} rejected");
            return rows.Count > 0 ? 0 : 1;
        });
        var command = new Command("costs", "Advertising costs for ROI, ROAS and CPA");
        command.Subcommands.Add(import);
        return command;
    }
}
