using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Options;
using OpenAttribution.Stores;
using Spectre.Console;

namespace OpenAttribution.Cli.Input;

/// <summary>Opens stores for the CLI, turning their failures into user errors that name the store.</summary>
internal static class StoreAccess
{
    public static IEventStore Open(string store) => Opening(store, () => StoreFactory.Open(store));

    /// <summary>
    /// Runs <paramref name="open"/>, which opens <paramref name="store"/> (a store, its workspace catalog,
    /// the server on it); a bad value or a store that cannot be used becomes a user error naming the store.
    /// </summary>
    public static T Opening<T>(string store, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidDataException or InvalidOperationException or System.Data.Common.DbException or IOException)
        {
            var message = ex is ArgumentException argument ? argument.MessageWithoutParameter() : ex.Message;
            throw new CliException(message.StartsWith("--store", StringComparison.Ordinal) ? message : $"--store '{Redact(store)}': {message}");
        }
    }

    /// <summary>Reads every stored event through the channel grouping, as a file would be read.</summary>
    public static EventTable LoadEvents(CliContext context, string store, ChannelGrouping grouping)
    {
        using var events = Open(store);
        EventTable table;
        try
        {
            table = events.ReadTable(grouping);
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new CliException($"{events.Description}: {ex.Message}");
        }

        context.Error.WriteLine($"{events.Description}: {table.Count:N0} events");
        return table;
    }

    /// <summary>
    /// Streams the store's journeys in batches of people to <paramref name="consume"/> (on a second
    /// thread, in order), so memory does not grow with the events; false when the store has no resolved
    /// snapshot (<see cref="IResolvedEventSource"/>) and the events must be read instead.
    /// </summary>
    public static bool TryStreamJourneys(CliContext context, string store, ChannelGrouping grouping, JourneyOptions options, Action<JourneySet> consume)
    {
        using var events = Open(store);
        if (events is not IResolvedEventSource resolved)
        {
            return false;
        }

        long count;
        try
        {
            BuildSnapshot(context, events.Description, resolved);
            count = JourneyPipeline.Run((onBatch, stop) => resolved.ReadJourneys(grouping, options, onBatch, stop), consume);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidDataException)
        {
            throw new CliException($"{events.Description}: {ex.Message}");
        }

        context.Error.WriteLine($"{events.Description}: {count:N0} events");
        return true;
    }

    /// <summary>
    /// Brings the store's resolved snapshot up to date when an import made it stale, saying so (a
    /// spinner on a terminal). Imports do this themselves, so a report finds it current unless another
    /// program stored events since; a full build on a large store takes a while.
    /// </summary>
    internal static void BuildSnapshot(CliContext context, string description, IResolvedEventSource resolved)
    {
        if (resolved.IsSnapshotCurrent())
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var how = context.Interactive
            ? context.ErrorConsole.Status().Start("Bringing the store's snapshot (people, channels) up to date", _ => resolved.EnsureSnapshot())
            : resolved.EnsureSnapshot();
        var what = how switch
        {
            Stores.Snapshot.SnapshotRefresh.Incremental => "snapshot updated with the new events",
            Stores.Snapshot.SnapshotRefresh.Full => "snapshot built",
            _ => "snapshot current",
        };
        context.Error.WriteLine($"{description}: {what} in {started.Elapsed.TotalSeconds:F1} s");
    }

    public static IReadOnlyList<CostRow> LoadCosts(string store)
    {
        using var events = Open(store);
        return events.ReadCosts();
    }

    /// <summary>The store text without a password, for messages.</summary>
    public static string Redact(string store) => StoreFactory.Redact(store);
}
