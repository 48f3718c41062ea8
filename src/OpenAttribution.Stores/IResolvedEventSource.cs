using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Stores;

/// <summary>
/// A store that does the string work itself: it stitches identities into dense person ids, lists the
/// distinct traffic sources (resolved to channels here, through any grouping) and hands over only
/// numeric columns, ordered by person and time. Journeys built from the table equal journeys built
/// from <see cref="IEventStore.ReadEvents"/> for every option.
/// </summary>
public interface IResolvedEventSource
{
    /// <summary>
    /// True when the resolved snapshot matches the stored events; false when the next read must build
    /// it first (after an import), which takes a while on large stores.
    /// </summary>
    bool IsSnapshotCurrent();

    /// <summary>
    /// Brings the resolved snapshot up to date with the stored events (reads do this themselves; imports
    /// call it so that the next read need not): the events stored since applied incrementally where the
    /// store can, else a full build. Says which.
    /// </summary>
    Snapshot.SnapshotRefresh EnsureSnapshot();

    /// <summary>Every stored event as a table of resolved people (<see cref="EventTable.FromPeople"/>).</summary>
    EventTable ReadResolved(ChannelGrouping grouping, CancellationToken cancellationToken = default);

    /// <summary>
    /// The journeys of every stored person, built while the events stream in (<see cref="JourneyStream"/>),
    /// handed to <paramref name="onBatch"/> in batches of whole people (about
    /// <paramref name="batchTouches"/> touches each), in person order: folded in order they give the same
    /// numbers as <see cref="JourneyBuilder"/> over <see cref="ReadResolved"/>, and memory holds one
    /// batch instead of every event. There is always at least one batch (an empty one for an empty
    /// store). <paramref name="onBatch"/> runs on the calling thread while the store's read is open (a
    /// DuckDB cursor; a PostgreSQL repeatable-read transaction that keeps a snapshot rebuild waiting), so
    /// a slow consumer should take the batches on another thread (<see cref="JourneyPipeline"/>).
    /// Returns the number of events read.
    /// </summary>
    long ReadJourneys(
        ChannelGrouping grouping,
        JourneyOptions options,
        Action<JourneySet> onBatch,
        CancellationToken cancellationToken = default,
        int batchTouches = JourneyStream.DefaultBatchTouches);

    /// <summary>
    /// The journeys of every stored person in parts, for a report that is kept and brought up to date
    /// instead of folded afresh from every event (the server's reports, <see cref="Snapshot.KeptFold{T}"/>):
    /// when <paramref name="since"/> is null or of another build of the snapshot's base, every person
    /// (the base's current people as <see cref="JourneyPart.Base"/>, the delta's as
    /// <see cref="JourneyPart.Added"/>); else only the people an update re-resolved after it, as they
    /// were at the mark (<see cref="JourneyPart.Removed"/>) and as they are now
    /// (<see cref="JourneyPart.Added"/>). The batches come in that order on the calling thread, all from
    /// one consistent view of the snapshot: a kept fold of Base and Added, minus every Removed, equals
    /// <see cref="ReadJourneys"/> to rounding. Returns the mark of this read.
    /// </summary>
    Snapshot.SnapshotMark ReadJourneyParts(
        ChannelGrouping grouping,
        JourneyOptions options,
        Snapshot.SnapshotMark? since,
        Action<JourneyPart, JourneySet> onBatch,
        CancellationToken cancellationToken = default,
        int batchTouches = JourneyStream.DefaultBatchTouches);
}
