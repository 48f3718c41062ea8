using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Paths;

/// <summary>Accumulates paths; rows with the same channel sequence add up.</summary>
public sealed class PathTableBuilder
{
    private readonly Interner _channels;
    private readonly Dictionary<PathKey, int> _index = [];
    private readonly List<int> _offsets = [0];
    private readonly List<int> _ids = [];
    private readonly List<double> _conversions = [];
    private readonly List<double> _values = [];
    private readonly List<double> _nulls = [];

    public PathTableBuilder()
        : this(new Interner())
    {
    }

    /// <summary>Builds over an existing channel dictionary, so channel ids keep their meaning.</summary>
    public PathTableBuilder(Interner channels) => _channels = channels;

    public Interner Channels => _channels;

    public int Count => _conversions.Count;

    public void Add(IEnumerable<string> path, double conversions, double value, double nulls)
    {
        var ids = path.Select(_channels.Intern).ToArray();
        Add(ids, conversions, value, nulls);
    }

    public void Add(ReadOnlySpan<int> path, double conversions, double value, double nulls)
    {
        if (path.IsEmpty)
        {
            throw new ArgumentException("A path needs at least one channel.", nameof(path));
        }

        var key = new PathKey(path.ToArray());
        if (!_index.TryGetValue(key, out var p))
        {
            p = _conversions.Count;
            _index.Add(key, p);
            _ids.AddRange(key.Ids);
            _offsets.Add(_ids.Count);
            _conversions.Add(0);
            _values.Add(0);
            _nulls.Add(0);
        }

        _conversions[p] += conversions;
        _values[p] += value;
        _nulls[p] += nulls;
    }

    /// <summary>A copy over <paramref name="channels"/> (a copy of this builder's dictionary), added to separately.</summary>
    public PathTableBuilder Clone(Interner channels)
    {
        var copy = new PathTableBuilder(channels);
        copy._index.EnsureCapacity(_index.Count);
        foreach (var (key, row) in _index)
        {
            copy._index.Add(key, row);
        }

        copy._offsets.Clear();
        copy._offsets.AddRange(_offsets);
        copy._ids.AddRange(_ids);
        copy._conversions.AddRange(_conversions);
        copy._values.AddRange(_values);
        copy._nulls.AddRange(_nulls);
        return copy;
    }

    /// <summary>
    /// The same rows, in the same order, over <paramref name="channels"/>, each channel id <c>c</c>
    /// becoming <c>map[c]</c> (no two ids may map to one).
    /// </summary>
    public PathTableBuilder Remap(Interner channels, int[] map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var copy = new PathTableBuilder(channels);
        var table = Build();
        for (var p = 0; p < table.Count; p++)
        {
            var path = table.Path(p);
            var ids = new int[path.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = map[path[i]];
            }

            copy.Add(ids, table.Conversions[p], table.Values[p], table.Nulls[p]);
        }

        return copy;
    }

    public PathTable Build() => new(
        [.. _channels.Names],
        [.. _offsets],
        [.. _ids],
        [.. _conversions],
        [.. _values],
        [.. _nulls]);

    private readonly struct PathKey(int[] ids) : IEquatable<PathKey>
    {
        public int[] Ids { get; } = ids;

        public bool Equals(PathKey other) => Ids.AsSpan().SequenceEqual(other.Ids);

        public override bool Equals(object? obj) => obj is PathKey k && Equals(k);

        public override int GetHashCode()
        {
            var h = new HashCode();
            h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Ids.AsSpan()));
            return h.ToHashCode();
        }
    }
}
