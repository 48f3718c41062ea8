using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// One report (an attribution's <see cref="AttributionAccumulator"/>, a <see cref="Core.Reports.PathReportAccumulator"/>)
/// kept between reads of a store and brought up to date instead of folded afresh. The first read folds
/// every person of the snapshot; each later one takes away the people an update re-resolved since
/// (their journeys as they were, negated) and adds them as they are now
/// (<see cref="IResolvedEventSource.ReadJourneyParts"/>): work in proportion to what changed since the
/// last read, not to the events. The numbers equal a fold of every journey to rounding: the same sums
/// in another order (docs/snapshot.md). Not thread-safe: one read at a time. A read that fails forgets
/// the kept fold, and the next one folds afresh.
/// </summary>
public sealed class KeptFold<T>(Func<T> create, JourneyOptions options)
    where T : class, IJourneyFold<T>
{
    private SnapshotMark? _mark;
    private T? _base;

    /// <summary>True when the last read folded the whole base (nothing kept, or another build of it).</summary>
    public bool LastReadWasFresh { get; private set; }

    /// <summary>
    /// The fold over every journey of <paramref name="store"/> as it is now: a copy of the kept one,
    /// the caller's to read (<see cref="AttributionAccumulator.Results"/>, <see cref="Core.Reports.PathReportAccumulator.Build"/>).
    /// </summary>
    public T Read(
        IResolvedEventSource store, ChannelGrouping grouping, CancellationToken cancellationToken = default, int batchTouches = JourneyStream.DefaultBatchTouches)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grouping);
        try
        {
            T? fresh = null;
            var mark = JourneyPipeline.Run(
                (onBatch, stop) => store.ReadJourneyParts(grouping, options, _mark, onBatch, stop, batchTouches),
                (part, batch) =>
                {
                    if (part == JourneyPart.Base)
                    {
                        fresh ??= create();
                        fresh.Add(batch);
                        return;
                    }

                    var kept = fresh ?? _base ?? throw new InvalidDataException("The store sent changes to a report it did not send whole.");
                    kept.Rebase(batch);
                    kept.Add(part == JourneyPart.Removed ? batch.Negated() : batch);
                },
                cancellationToken);
            _base = fresh ?? _base ?? throw new InvalidDataException("The store sent no journeys.");
            _mark = mark;
            LastReadWasFresh = fresh is not null;
            return _base.Clone();
        }
        catch
        {
            // Perhaps half taken away: fold afresh next time.
            _mark = null;
            _base = null;
            throw;
        }
    }
}
