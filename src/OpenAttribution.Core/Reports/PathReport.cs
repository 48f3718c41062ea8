using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Reports;

public sealed record PathRow(string Path, int Length, double Conversions, double Value);

public sealed record DistributionRow(string Bucket, double Conversions, double Value);

/// <summary>Per channel: conversions it closed (last touch) and conversions it assisted (appeared before the last touch).</summary>
public sealed record AssistRow(string Key, double LastTouchConversions, double LastTouchValue, double AssistedConversions, double AssistedValue)
{
    /// <summary>Assisted / last-touch conversions (GA's ratio); infinite when it never closed.</summary>
    public double Ratio => LastTouchConversions == 0 ? (AssistedConversions == 0 ? 0 : double.PositiveInfinity) : AssistedConversions / LastTouchConversions;
}

/// <summary>
/// The path analysis of GA's conversion paths view: top paths, path length and time lag
/// distributions, and assisted versus last-touch conversions.
/// </summary>
public sealed class PathReport
{
    private PathReport(IReadOnlyList<PathRow> top, IReadOnlyList<DistributionRow> lengths, IReadOnlyList<DistributionRow> lags, IReadOnlyList<AssistRow> assists, double conversions, double value, int distinct)
    {
        TopPaths = top;
        PathLengths = lengths;
        TimeLags = lags;
        Assists = assists;
        TotalConversions = conversions;
        TotalValue = value;
        DistinctPaths = distinct;
    }

    public IReadOnlyList<PathRow> TopPaths { get; }

    /// <summary>Conversions by number of touches in the path (0 = no touch in the window).</summary>
    public IReadOnlyList<DistributionRow> PathLengths { get; }

    /// <summary>Conversions by whole days from the path's first touch to the conversion; empty without timestamps.</summary>
    public IReadOnlyList<DistributionRow> TimeLags { get; }

    public IReadOnlyList<AssistRow> Assists { get; }

    public double TotalConversions { get; }

    public double TotalValue { get; }

    public int DistinctPaths { get; }

    public static PathReport Build(JourneySet set, int top = 20, Dimension dimension = Dimension.Channel)
    {
        var report = new PathReportAccumulator(top, dimension);
        report.Add(set);
        return report.Build();
    }

    /// <summary>Folds journeys, batch by batch, into the sums of a <see cref="PathReport"/>.</summary>
    internal sealed class Sums
    {
        private Dictionary<string, (int Length, double Conversions, double Value)> _paths = new(StringComparer.Ordinal);
        private SortedDictionary<int, (double C, double V)> _lengths = [];
        private SortedDictionary<int, (double C, double V)> _lags = [];
        private System.Text.StringBuilder _text = new();
        private Text.Interner? _names;
        private string[] _keyNames = [];
        private int _nameCount;
        private int _none;
        private double[,] _last = new double[0, 2];
        private double[,] _assisted = new double[0, 2];
        private long[] _seen = [];
        private long _conversion;
        private double _conversions;
        private double _value;

        public void Add(JourneySet set, Dimension dimension)
        {
            var (keys, names) = set.Dimension(dimension);
            if (_names is null)
            {
                _names = names;
                _nameCount = names.Count;
                _keyNames = JourneySet.KeyNamesWithNone(names, out _none);
                _last = new double[_keyNames.Length, 2];
                _assisted = new double[_keyNames.Length, 2];
                _seen = new long[_keyNames.Length];
                Array.Fill(_seen, -1L);
            }
            else
            {
                JourneySet.CheckSameNames(_names, _nameCount, names, nameof(set));
            }

            var sb = _text;
            for (var j = 0; j < set.Conversions; j++, _conversion++)
            {
                var s = set.Start[j];
                var n = set.Length[j];
                var count = set.Counts[j];
                var value = set.Values[j];
                _conversions += count;
                _value += value;

                sb.Clear();
                if (n == 0)
                {
                    sb.Append(JourneySet.NoneChannel);
                }

                for (var t = 0; t < n; t++)
                {
                    if (t > 0)
                    {
                        sb.Append(" > ");
                    }

                    sb.Append(names[keys[s + t]]);
                }

                var text = sb.ToString();
                _paths[text] = _paths.TryGetValue(text, out var p) ? (p.Length, p.Conversions + count, p.Value + value) : (n, count, value);
                _lengths[n] = _lengths.TryGetValue(n, out var l) ? (l.C + count, l.V + value) : (count, value);

                if (set.HasTimestamps && n > 0)
                {
                    var days = (int)Math.Min(int.MaxValue, (set.ConversionTimes[j] - set.TouchTimes[s]) / TimeSpan.TicksPerDay);
                    _lags[days] = _lags.TryGetValue(days, out var g) ? (g.C + count, g.V + value) : (count, value);
                }

                var closer = n == 0 ? _none : keys[s + n - 1];
                _last[closer, 0] += count;
                _last[closer, 1] += value;
                for (var t = 0; t < n - 1; t++)
                {
                    var k = keys[s + t];
                    if (_seen[k] != _conversion)
                    {
                        _seen[k] = _conversion;
                        _assisted[k, 0] += count;
                        _assisted[k, 1] += value;
                    }
                }
            }
        }

        /// <summary>A copy that further batches are added to separately.</summary>
        public Sums Clone()
        {
            var copy = (Sums)MemberwiseClone();
            copy._paths = new Dictionary<string, (int Length, double Conversions, double Value)>(_paths, StringComparer.Ordinal);
            copy._lengths = new SortedDictionary<int, (double C, double V)>(_lengths);
            copy._lags = new SortedDictionary<int, (double C, double V)>(_lags);
            copy._text = new System.Text.StringBuilder();
            copy._last = (double[,])_last.Clone();
            copy._assisted = (double[,])_assisted.Clone();
            copy._seen = (long[])_seen.Clone();
            return copy;
        }

        /// <summary>Goes on over a later read's longer names (<see cref="Models.AttributionAccumulator.Rebase"/>).</summary>
        public void Rebase(JourneySet set, Dimension dimension)
        {
            var (_, names) = set.Dimension(dimension);
            if (_names is null || (ReferenceEquals(names, _names) && names.Count == _nameCount))
            {
                return;
            }

            var (keyNames, none, map) = JourneySet.RebaseKeys(_names, _nameCount, _keyNames.Length, _none, names, nameof(set));
            var last = new double[keyNames.Length, 2];
            var assisted = new double[keyNames.Length, 2];
            var seen = new long[keyNames.Length];
            Array.Fill(seen, -1L);
            for (var k = 0; k < _keyNames.Length; k++)
            {
                var to = map[k];
                for (var c = 0; c < 2; c++)
                {
                    last[to, c] += _last[k, c];
                    assisted[to, c] += _assisted[k, c];
                }
            }

            (_names, _nameCount, _keyNames, _none, _last, _assisted, _seen) = (names, names.Count, keyNames, none, last, assisted, seen);
        }

        /// <summary>
        /// The report. Paths and buckets whose conversions came to exactly 0, because removed journeys
        /// (<see cref="JourneySet.Negated"/>) took back what was added, are left out as if never added.
        /// </summary>
        public PathReport Build(int top)
        {
            if (_names is null)
            {
                throw new InvalidOperationException("A path report needs at least one batch of journeys.");
            }

            var topRows = _paths
                .Where(kv => kv.Value.Conversions != 0)
                .Select(kv => new PathRow(kv.Key, kv.Value.Length, kv.Value.Conversions, kv.Value.Value))
                .OrderByDescending(r => r.Conversions).ThenBy(r => r.Path, StringComparer.Ordinal)
                .Take(top)
                .ToList();
            var assistRows = new List<AssistRow>();
            for (var k = 0; k < _seen.Length; k++)
            {
                if (_last[k, 0] != 0 || _assisted[k, 0] != 0)
                {
                    assistRows.Add(new AssistRow(_keyNames[k], _last[k, 0], _last[k, 1], _assisted[k, 0], _assisted[k, 1]));
                }
            }

            assistRows.Sort((a, b) =>
            {
                var c = (b.AssistedConversions + b.LastTouchConversions).CompareTo(a.AssistedConversions + a.LastTouchConversions);
                return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
            });

            return new PathReport(
                topRows,
                _lengths.Where(kv => kv.Value.C != 0).Select(kv => new DistributionRow(kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv.Value.C, kv.Value.V)).ToList(),
                LagBuckets(_lags),
                assistRows,
                _conversions,
                _value,
                _paths.Count(kv => kv.Value.Conversions != 0));
        }
    }

    /// <summary>GA's time-lag buckets: 0 to 11 days one by one, then 12-30 and 31+ days.</summary>
    private static List<DistributionRow> LagBuckets(SortedDictionary<int, (double C, double V)> lags)
    {
        var buckets = new List<DistributionRow>();
        double c12 = 0, v12 = 0, c31 = 0, v31 = 0;
        foreach (var (days, (c, v)) in lags)
        {
            if (c == 0)
            {
                continue; // taken back by removed journeys
            }

            if (days <= 11)
            {
                buckets.Add(new DistributionRow(days.ToString(System.Globalization.CultureInfo.InvariantCulture), c, v));
            }
            else if (days <= 30)
            {
                c12 += c;
                v12 += v;
            }
            else
            {
                c31 += c;
                v31 += v;
            }
        }

        if (c12 != 0)
        {
            buckets.Add(new DistributionRow("12-30", c12, v12));
        }

        if (c31 != 0)
        {
            buckets.Add(new DistributionRow("31+", c31, v31));
        }

        return buckets;
    }
}

/// <summary>
/// A <see cref="PathReport"/> over journeys handed over in batches (<see cref="JourneyStream"/>), in
/// order: the same report as over all the journeys at once. Memory grows with the distinct paths.
/// </summary>
public sealed class PathReportAccumulator : IJourneyFold<PathReportAccumulator>
{
    private readonly int _top;
    private readonly Dimension _dimension;
    private readonly PathReport.Sums _sums;

    public PathReportAccumulator(int top = 20, Dimension dimension = Dimension.Channel)
        : this(top, dimension, new PathReport.Sums())
    {
    }

    private PathReportAccumulator(int top, Dimension dimension, PathReport.Sums sums)
    {
        _top = top;
        _dimension = dimension;
        _sums = sums;
    }

    public void Add(JourneySet batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _sums.Add(batch, _dimension);
    }

    public PathReport Build() => _sums.Build(_top);

    /// <summary>A copy that further batches are added to separately.</summary>
    public PathReportAccumulator Clone() => new(_top, _dimension, _sums.Clone());

    /// <summary>Goes on with a later read's batches, whose names begin with these (<see cref="Models.AttributionAccumulator.Rebase"/>).</summary>
    public void Rebase(JourneySet batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _sums.Rebase(batch, _dimension);
    }
}
