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
