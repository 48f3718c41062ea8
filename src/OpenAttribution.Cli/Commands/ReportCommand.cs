using System.CommandLine;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;

namespace OpenAttribution.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var options = new CommonOptions();
        var model = new Option<string>("--model") { Description = "Model: " + string.Join(", ", ModelNames.CliNames), DefaultValueFactory = _ => "last-touch" };
        var command = new Command("report", "Credit conversions and value to channels (or sources, mediums, campaigns) with one model");
        var roi = new Option<bool>("--roi") { Description = "Add cost, ROAS (value / cost) and CPA (cost / conversions) from the store's costs or --costs FILE" };
        var costs = new Option<string?>("--costs") { Description = "Cost CSV (date,channel,campaign,cost,currency) for --roi when not using a store" };
        var currency = new Option<string?>("--currency") { Description = "With --roi: the costs' currency to use when they have several (e.g. EUR)" };
        command.Options.Add(model);
        command.Options.Add(roi);
        command.Options.Add(costs);
        command.Options.Add(currency);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var format = options.GetFormat(result);
            var dimension = options.GetDimension(result);
            var spec = options.GetModel(result, result.GetValue(model)!);
            var attribution = options.RunModels(context, result, [spec], dimension)[0];
            if (!result.GetValue(roi))
            {
                ResultWriter.Report(context, attribution, format);
                return 0;
            }

            var costRows = LoadCosts(result.GetValue(costs), options.GetStore(result));
            var from = CommonOptions.Parse(() => ReportOptionParser.Day(result.GetValue(options.From), "from"));
            var to = CommonOptions.Parse(() => ReportOptionParser.Day(result.GetValue(options.To), "to"));
            var rows = Run(() =>
            {
                try
                {
                    return RoiReport.Build(attribution, costRows, from, to, result.GetValue(currency));
                }
                catch (RoiCurrencyException ex)
                {
                    throw new CliException(ex.Message + "; choose one with " + string.Join(" or ", ex.Currencies.Select(c => "--currency " + c)));
                }
            });

            ResultWriter.Roi(context, attribution, rows, format);
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<CostRow> LoadCosts(string? file, string? store)
    {
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"--costs '{file}': file not found");
            }

            using var reader = new StreamReader(file);
            try
            {
                var (rows, errors) = CostReader.Read(reader);
                return errors.Count == 0 ? rows : throw new CliException($"--costs '{file}': {string.Join("; ", errors)}");
            }
            catch (FormatException ex)
            {
                throw new CliException($"--costs '{file}': {ex.Message}");
            }
        }

        return store is not null
            ? Input.StoreAccess.LoadCosts(store)
            : throw new CliException("--roi needs costs: import them with 'attribution costs import --store STORE FILE' or give --costs FILE");
    }

    /// <summary>
    /// Turns a model's refusal of its input (e.g. time decay on a path table: <see cref="ModelInputException"/>,
    /// or Markov over too large a chain) and a store's refusal of an operation into a user error; any
    /// other exception is a fault of the program and is not dressed up as one.
    /// </summary>
    public static T Run<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (ModelInputException ex)
        {
            throw new CliException(ex.Message);
        }
        catch (Core.DataDriven.MarkovTooLargeException ex)
        {
            throw new CliException(ex.MessageWithoutParameter());
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
