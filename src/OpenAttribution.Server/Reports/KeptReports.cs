using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;
using OpenAttribution.Stores;
using OpenAttribution.Stores.Snapshot;

namespace OpenAttribution.Server.Reports;

/// <summary>
/// A workspace's attribution and path reports kept between requests (<see cref="KeptFold{T}"/>), one
/// per report asked for (models or top, dimension, journey options): a request folds what changed in the
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
        IResolvedEventSource store, JourneyOptions options, IReadOnlyList<ModelSpec> models, Dimension dimension, CancellationToken cancellationToken) =>
        Read(new Key(dimension, options, [.. models], 0), () => new AttributionAccumulator(models, dimension), store, cancellationToken)
            .Results(cancellationToken);

    /// <summary>The path report (top <paramref name="top"/> paths) over every journey of <paramref name="store"/>.</summary>
    public PathReport Paths(IResolvedEventSource store, JourneyOptions options, int top, Dimension dimension, CancellationToken cancellationToken) =>
        Read(new Key(dimension, options, [], top), () => new PathReportAccumulator(top, dimension), store, cancellationToken).Build();

    private T Read<T>(Key key, Func<T> create, IResolvedEventSource store, CancellationToken cancellationToken)
        where T : class, IJourneyFold<T>
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                if (_entries.Count >= Capacity)
                {
                    _entries.Remove(_entries.MinBy(e => e.Value.Used).Key);
                }

                entry = new Entry(new KeptFold<T>(create, key.Options));
                _entries.Add(key, entry);
            }

            entry.Used = ++_clock;
        }

        var kept = (KeptFold<T>)entry.Report;
        lock (entry.Gate)
        {
            var fold = kept.Read(store, ChannelGrouping.Default, cancellationToken);
            if (kept.LastReadWasFresh)
            {
                Interlocked.Increment(ref _freshFolds);
            }

            return fold;
        }
    }

    private sealed class Entry(object report)
    {
        public Lock Gate { get; } = new();

        /// <summary>A <see cref="KeptFold{T}"/> of the key's kind of report.</summary>
        public object Report { get; } = report;

        public long Used { get; set; }
    }

    /// <summary>A report: its models (none for a path report, which has <see cref="Top"/> instead), dimension and journey options.</summary>
    private sealed record Key(Dimension Dimension, JourneyOptions Options, ModelSpec[] Models, int Top)
    {
        public bool Equals(Key? other) =>
            other is not null && Dimension == other.Dimension && Options == other.Options && Top == other.Top && Models.AsSpan().SequenceEqual(other.Models);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Dimension);
            hash.Add(Options);
            hash.Add(Top);
            foreach (var model in Models)
            {
                hash.Add(model);
            }

            return hash.ToHashCode();
        }
    }
}
