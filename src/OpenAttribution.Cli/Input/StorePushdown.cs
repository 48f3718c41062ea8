using System.Data.Common;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Paths;
using OpenAttribution.Stores;

namespace OpenAttribution.Cli.Input;

/// <summary>
/// Reports computed inside a store that can (<see cref="IAttributionPushdown"/>, e.g. a ClickHouse
/// cluster); null when the store cannot, and the command then reads the events as usual.
/// </summary>
internal static class StorePushdown
{
    public static IReadOnlyList<AttributionResult>? TryRun(CliContext context, string store, AttributionRequest request)
    {
        using var events = StoreAccess.Open(store);
        if (events is not IAttributionPushdown pushdown || !pushdown.CanRun(request.Models))
        {
            return null;
        }

        var results = Guard(events, () => pushdown.Run(request));
        context.Error.WriteLine($"{events.Description}: journeys and models computed in the store");
        return results;
    }

    public static PathTable? TryPathTable(CliContext context, string store, JourneyOptions journeys, Dimension dimension, ChannelGrouping grouping)
    {
        using var events = StoreAccess.Open(store);
        if (events is not IAttributionPushdown pushdown)
        {
            return null;
        }

        var table = Guard(events, () => pushdown.BuildPathTable(journeys, dimension, grouping));
        context.Error.WriteLine($"{events.Description}: path table computed in the store, {table.Count:N0} distinct paths");
        return table;
    }

    private static T Guard<T>(IEventStore events, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (DbException ex)
        {
            throw new CliException($"{events.Description}: {ex.Message}");
        }
    }
}
