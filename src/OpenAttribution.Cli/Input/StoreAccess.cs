using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Stores;

namespace OpenAttribution.Cli.Input;

/// <summary>Opens stores for the CLI, turning their failures into user errors that name the store.</summary>
internal static class StoreAccess
{
    public static IEventStore Open(string store)
    {
        try
        {
            return StoreFactory.Open(store);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or System.Data.Common.DbException or IOException)
        {
            throw new CliException(ex.Message.StartsWith("--store", StringComparison.Ordinal) ? ex.Message : $"--store '{Redact(store)}': {ex.Message}");
        }
    }

    /// <summary>Reads every stored event through the channel grouping, as a file would be read.</summary>
    public static EventTable LoadEvents(CliContext context, string store, ChannelGrouping grouping)
    {
        using var events = Open(store);
        EventTable table;
        try
        {
            if (events is IResolvedEventSource resolved)
            {
                table = resolved.ReadResolved(grouping);
            }
            else
            {
                var builder = new EventTableBuilder(grouping, deduplicate: false);
                events.ReadEvents(builder);
                table = builder.Build();
            }
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
            count = JourneyPipeline.Run(onBatch => resolved.ReadJourneys(grouping, options, onBatch), consume);
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new CliException($"{events.Description}: {ex.Message}");
        }

        context.Error.WriteLine($"{events.Description}: {count:N0} events");
        return true;
    }

    public static IReadOnlyList<CostRow> LoadCosts(string store)
    {
        using var events = Open(store);
        return events.ReadCosts();
    }

    /// <summary>The store text without a password, for messages.</summary>
    public static string Redact(string store)
    {
        var at = store.IndexOf('@');
        var scheme = store.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return store;
        }

        var colon = store.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? store[..(colon + 1)] + "***" + store[at..] : store;
    }
}
