using System.CommandLine;
using OpenAttribution.Cli.Input;
using OpenAttribution.Cli.Output;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;
using OpenAttribution.Core.Paths;
using OpenAttribution.Stores;

namespace OpenAttribution.Cli.Commands;

/// <summary>The options shared by report, compare, paths and markov, and how they become journeys and models.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Events { get; } = new("--events") { Description = "Event file: CSV or JSON Lines (.jsonl)" };

    public Option<string?> Store { get; } = new("--store") { Description = "Event store: a DuckDB file, postgresql://user:pass@host:port/db or clickhouse://host:port[,host:port...]/db[?cluster=NAME]" };

    public Option<string?> Paths { get; } = new("--paths") { Description = "ChannelAttribution path table (CSV: path,total_conversions,total_conversion_value,total_null)" };

    public Option<string> By { get; } = new("--by") { Description = "Dimension: channel, source, medium or campaign", DefaultValueFactory = _ => "channel" };

    public Option<string> Lookback { get; } = new("--lookback") { Description = "Lookback window, e.g. 30d, 7d, 12h", DefaultValueFactory = _ => "30d" };

    public Option<string?> Conversion { get; } = new("--conversion") { Description = "Only conversions with this name" };

    public Option<string> HalfLife { get; } = new("--half-life") { Description = "Time decay half-life, e.g. 7d", DefaultValueFactory = _ => "7d" };

    public Option<string> Position { get; } = new("--position") { Description = "Position-based first,last shares, e.g. 0.4,0.4", DefaultValueFactory = _ => "0.4,0.4" };

    public Option<int> Order { get; } = new("--order") { Description = "Markov chain order (states are the last K channels)", DefaultValueFactory = _ => 1 };

    public Option<bool> ResetOnConversion { get; } = new("--reset-on-conversion") { Description = "A path starts after the person's previous counted conversion" };

    public Option<string> Format { get; } = new("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };

    public Option<string?> ChannelRules { get; } = new("--channel-rules") { Description = "Channel grouping rules file (JSON or YAML) replacing or extending GA4's default channel group" };

    public Option<string?> CustomRules { get; } = new("--custom-rules") { Description = "Custom model file (JSON or YAML): base model and weight rules" };

    public Option<string?> From { get; } = new("--from") { Description = "Only conversions on or after this date (yyyy-MM-dd, UTC)" };

    public Option<string?> To { get; } = new("--to") { Description = "Only conversions on or before this date (yyyy-MM-dd, UTC)" };

    public Option<string?> Workspace { get; } = new("--workspace") { Description = "With --store: read this workspace of a server's store (attribution workspace list shows them)" };

    /// <summary>The store to read: --store, or with --workspace that workspace of it.</summary>
    public string? GetStore(ParseResult result)
    {
        var store = result.GetValue(Store);
        if (result.GetValue(Workspace) is not { } workspace)
        {
            return store;
        }

        return store is null
            ? throw new CliException($"--workspace '{workspace}' needs --store: the server's store that holds it")
            : Input.StoreAccess.Opening(store, () => StoreFactory.ForWorkspace(store, workspace));
    }

    public void AddTo(Command command, bool withPaths = true, bool withModels = true, bool withDimension = true)
    {
        command.Options.Add(Events);
        command.Options.Add(Store);
        command.Options.Add(Workspace);
        if (withPaths)
        {
            command.Options.Add(Paths);
        }

        if (withDimension)
        {
            command.Options.Add(By);
        }

        command.Options.Add(Lookback);
        command.Options.Add(Conversion);
        command.Options.Add(ResetOnConversion);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(ChannelRules);
        if (withModels)
        {
            command.Options.Add(HalfLife);
            command.Options.Add(Position);
            command.Options.Add(Order);
            command.Options.Add(CustomRules);
        }

        command.Options.Add(Format);
    }

    public OutputFormat GetFormat(ParseResult result) => GetFormat(result.GetValue(Format));

    public static OutputFormat GetFormat(string? text) => text?.ToLowerInvariant() switch
    {
        "table" or null => OutputFormat.Table,
        "csv" => OutputFormat.Csv,
        "json" => OutputFormat.Json,
        var other => throw new CliException($"--format '{other}': use table, csv or json"),
    };

    public Dimension GetDimension(ParseResult result) => Parse(() => ReportOptionParser.Dimension(result.GetValue(By)));

    public JourneyOptions GetJourneyOptions(ParseResult result) => Parse(() => ReportOptionParser.Journeys(
        result.GetValue(Lookback), result.GetValue(Conversion), result.GetValue(ResetOnConversion), result.GetValue(From), result.GetValue(To)));

    /// <summary>The model options from the command line applied to a model.</summary>
    public ModelSpec GetModel(ParseResult result, string name)
    {
        var spec = Parse(() => ReportOptionParser.Model(name, result.GetValue(HalfLife), result.GetValue(Position), result.GetValue(Order)));
        if (spec.Kind == ModelKind.Custom)
        {
            var file = result.GetValue(CustomRules) ?? throw new CliException("--model custom needs --custom-rules FILE (see docs/custom-models.md)");
            try
            {
                spec = CustomModelReader.Parse(ReadFile(file, "--custom-rules"));
            }
            catch (FormatException ex)
            {
                throw new CliException($"--custom-rules '{file}': {ex.Message}");
            }
        }

        return spec;
    }

    /// <summary>Runs a shared option parser, turning its <see cref="OptionException"/> into a user error.</summary>
    public static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (OptionException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    public ChannelGrouping GetGrouping(ParseResult result)
    {
        var file = result.GetValue(ChannelRules);
        if (file is null)
        {
            return ChannelGrouping.Default;
        }

        try
        {
            return ChannelGrouping.Parse(ReadFile(file, "--channel-rules"), Path.GetExtension(file));
        }
        catch (FormatException ex)
        {
            throw new CliException($"--channel-rules '{file}': {ex.Message}");
        }
    }

    /// <summary>The journeys the command works on: from --events or from --paths.</summary>
    public JourneySet LoadJourneys(CliContext context, ParseResult result)
    {
        var events = result.GetValue(Events);
        var paths = result.GetValue(Paths);
        var store = GetStore(result);
        if (new[] { events, paths, store }.Count(x => x is not null) != 1)
        {
            throw new CliException("give exactly one input: --events FILE, --store STORE or --paths FILE");
        }

        if (paths is not null)
        {
            return PathTableJourneys.ToJourneys(LoadPathTable(context, paths));
        }

        var options = GetJourneyOptions(result);
        var grouping = GetGrouping(result);
        var table = store is not null ? StoreAccess.LoadEvents(context, store, grouping) : EventFileLoader.Load(context, events!, grouping).Events;
        return JourneyBuilder.Build(table, options);
    }

    /// <summary>
    /// The models' results: computed inside the store when it can (--store with a store implementing
    /// IAttributionPushdown), else over journeys streamed from the store's resolved snapshot, else over
    /// the journeys of <see cref="LoadJourneys"/>.
    /// </summary>
    public IReadOnlyList<AttributionResult> RunModels(CliContext context, ParseResult result, IReadOnlyList<ModelSpec> specs, Dimension dimension)
    {
        if (PushdownStore(result) is { } store)
        {
            var request = new AttributionRequest(specs, dimension, GetJourneyOptions(result), GetGrouping(result));
            if (Commands.ReportCommand.Run(() => StorePushdown.TryRun(context, store, request)) is { } pushed)
            {
                return pushed;
            }

        }

        var accumulator = Commands.ReportCommand.Run(() => new AttributionAccumulator(specs, dimension));
        if (TryStreamJourneys(context, result, accumulator.Add))
        {
            return Commands.ReportCommand.Run(() => accumulator.Results());
        }

        var journeys = LoadJourneys(context, result);
        return Commands.ReportCommand.Run(() => AttributionEngine.Run(journeys, specs, dimension));
    }

    /// <summary>The path table over a dimension: built inside the store when it can, else from the journeys.</summary>
    public PathTable LoadPathTable(CliContext context, ParseResult result, Dimension dimension)
    {
        if (PushdownStore(result) is { } store
            && Commands.ReportCommand.Run(() => StorePushdown.TryPathTable(context, store, GetJourneyOptions(result), dimension, GetGrouping(result))) is { } table)
        {
            return table;
        }

        var paths = new PathTableAccumulator(dimension);
        if (TryStreamJourneys(context, result, paths.Add))
        {
            return Commands.ReportCommand.Run(paths.Build);
        }

        var journeys = LoadJourneys(context, result);
        return Commands.ReportCommand.Run(() => PathTableJourneys.ToPathTable(journeys, dimension));
    }

    /// <summary>
    /// With --store as the only input and a store with a resolved snapshot: streams the stored journeys
    /// in batches of people to <paramref name="consume"/> (memory that does not grow with the events)
    /// and returns true; otherwise false, and the command loads the journeys (<see cref="LoadJourneys"/>).
    /// </summary>
    public bool TryStreamJourneys(CliContext context, ParseResult result, Action<JourneySet> consume) =>
        PushdownStore(result) is { } store
        && Commands.ReportCommand.Run(() => StoreAccess.TryStreamJourneys(context, store, GetGrouping(result), GetJourneyOptions(result), consume));

    /// <summary>The --store value when it is the only input.</summary>
    private string? PushdownStore(ParseResult result) =>
        result.GetValue(Events) is null && result.GetValue(Paths) is null ? GetStore(result) : null;

    public static PathTable LoadPathTable(CliContext context, string file)
    {
        using var reader = new StreamReader(OpenFile(file, "--paths"));
        PathTableReadResult read;
        try
        {
            read = PathTableReader.Read(reader);
        }
        catch (FormatException ex)
        {
            throw new CliException($"--paths '{file}': {ex.Message}");
        }

        foreach (var error in read.Errors)
        {
            context.Error.WriteLine($"{System.IO.Path.GetFileName(file)}: {error}");
        }

        context.Error.WriteLine($"{System.IO.Path.GetFileName(file)}: {read.Rows + read.Errors.Select(e => e.Line).Distinct().Count():N0} rows: {read.Rows:N0} accepted, {read.Errors.Select(e => e.Line).Distinct().Count():N0} rejected; {read.Table.Count:N0} distinct paths");
        return read.Table;
    }

    public static string ReadFile(string file, string option)
    {
        using var reader = new StreamReader(OpenFile(file, option));
        return reader.ReadToEnd();
    }

    private static FileStream OpenFile(string file, string option) =>
        File.Exists(file) ? File.OpenRead(file) : throw new CliException($"{option} '{file}': file not found");
}
