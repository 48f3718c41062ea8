using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores;

/// <summary>
/// A store that does the string work itself: it stitches identities into dense person ids, lists the
/// distinct traffic sources (resolved to channels here, through any grouping) and hands over only
/// numeric columns, ordered by person and time. Journeys built from the table equal journeys built
/// from <see cref="IEventStore.ReadEvents"/> for every option.
/// </summary>
public interface IResolvedEventSource
{
    /// <summary>Every stored event as a table of resolved people (<see cref="EventTable.FromPeople"/>).</summary>
    EventTable ReadResolved(ChannelGrouping grouping, CancellationToken cancellationToken = default);
}
