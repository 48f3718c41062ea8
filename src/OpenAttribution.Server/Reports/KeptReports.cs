using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Stores;
using OpenAttribution.Stores.Snapshot;

namespace OpenAttribution.Server.Reports;

/// <summary>
/// A workspace's attribution reports kept between requests (<see cref="KeptAttribution"/>), one per
/// report asked for (models, dimension, journey options): a request folds what changed in the
/// snapshot since the report was last asked for, not every event. At most <see cref="Capacity"/> are
/// kept, the least recently asked for going first; requests for the same report take turns.
/// </summary>
internal sealed class KeptReports
{
    public const int Capacity = 32;

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, Entry> _entries = [];
    private long _clock;
    private long _freshFolds;

    /// <summary>How many requests folded the whole base (the report was not kept, or the snapshot was rebuilt).</summary>
    public long FreshFolds => Interlocked.Read(ref _freshFolds);

    /// <summary>The results of <paramref name="models"/> over every journey of <paramref name="store"/>.</summary>
    public IReadOnlyList<AttributionResult> Attribute(
        IResolvedEventSource store, JourneyOptions options, IReadOnlyList<ModelSpec> models, Dimension dimension, CancellationToken cancellationToken)
    {
        var entry = Find(new Key(dimension, options, [.. models]));
        lock (entry.Gate)
        {
            var results = entry.Report.Read(store, ChannelGrouping.Default, cancellationToken);
            if (entry.Report.LastReadWasFresh)
            {
                Interlocked.Increment(ref _freshFolds);
            }

            return results;
        }
    }

    private Entry Find(Key key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_entries.Count >= Capacity)
                {
                    _entries.Remove(_entries.MinBy(e => e.Value.Used).Key);
                }

                entry = new Entry(new KeptAttribution(key.Models, key.Dimension, key.Options));
                _entries.Add(key, entry);
            }

            entry.Used = ++_clock;
            return entry;
        }
    }

    private sealed class Entry(KeptAttribution report)
    {
        public Lock Gate { get; } = new();

        public KeptAttribution Report { get; } = report;

        public long Used { get; set; }
    }

    private sealed record Key(Dimension Dimension, JourneyOptions Options, ModelSpec[] Models)
    {
        public bool Equals(Key? other) =>
            other is not null && Dimension == other.Dimension && Options == other.Options && Models.AsSpan().SequenceEqual(other.Models);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Dimension);
            hash.Add(Options);
            foreach (var model in Models)
            {
                hash.Add(model);
            }

            return hash.ToHashCode();
        }
    }
}
