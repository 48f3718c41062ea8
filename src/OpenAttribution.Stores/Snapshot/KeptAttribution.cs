using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// One attribution report kept between reads of a store and brought up to date instead of folded
/// afresh: the credit over the snapshot's base is kept with the base's <see cref="SnapshotMark"/>. Each
/// <see cref="Read"/> takes away the base people re-resolved since (their journeys negated), copies the
/// kept credit and adds the delta's journeys to the copy (<see cref="IResolvedEventSource.ReadJourneyParts"/>),
/// so it folds what changed since the last full build of the snapshot, not every event. The numbers
/// equal a fold of every journey to rounding: the same sums in another order (docs/snapshot.md). Not
/// thread-safe: one read at a time. A read that fails forgets the kept credit, and the next folds afresh.
/// </summary>
public sealed class KeptAttribution(IReadOnlyList<ModelSpec> models, Dimension dimension, JourneyOptions options)
{
    private SnapshotMark? _mark;
    private AttributionAccumulator? _base;

    /// <summary>True when the last read folded the whole base (nothing kept, or another build of it).</summary>
    public bool LastReadWasFresh { get; private set; }

    /// <summary>The results of the models over every journey of <paramref name="store"/> as it is now.</summary>
    public IReadOnlyList<AttributionResult> Read(
        IResolvedEventSource store, ChannelGrouping grouping, CancellationToken cancellationToken = default, int batchTouches = JourneyStream.DefaultBatchTouches)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grouping);
        try
        {
            AttributionAccumulator? fresh = null;
            AttributionAccumulator? working = null;
            var mark = JourneyPipeline.Run(
                (onBatch, stop) => store.ReadJourneyParts(grouping, options, _mark, onBatch, stop, batchTouches),
                (part, batch) =>
                {
                    switch (part)
                    {
                        case JourneyPart.Base:
                            fresh ??= new AttributionAccumulator(models, dimension);
                            fresh.Add(batch);
                            break;
                        case JourneyPart.Removed:
                            _base!.Rebase(batch);
                            _base.Add(batch.Negated());
                            break;
                        default:
                            if (working is null)
                            {
                                _base = fresh ?? _base!;
                                _base.Rebase(batch);
                                working = _base.Clone();
                            }

                            working.Add(batch);
                            break;
                    }
                },
                cancellationToken);
            _mark = mark;
            LastReadWasFresh = fresh is not null;
            return working!.Results(cancellationToken);
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
