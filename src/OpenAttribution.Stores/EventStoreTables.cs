using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores;

/// <summary>Reading a whole store into an <see cref="EventTable"/>, as a file would be read.</summary>
public static class EventStoreTables
{
    /// <summary>
    /// Every stored event grouped into channels by <paramref name="grouping"/>: the store's resolved
    /// read where it has one (it stitches identities and lists distinct traffic sources itself),
    /// otherwise a table built from the raw rows.
    /// </summary>
    public static EventTable ReadTable(this IEventStore store, ChannelGrouping grouping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store is IResolvedEventSource resolved)
        {
            return resolved.ReadResolved(grouping, cancellationToken);
        }

        var builder = new EventTableBuilder(grouping, deduplicate: false);
        store.ReadEvents(builder, cancellationToken);
        return builder.Build();
    }
}
