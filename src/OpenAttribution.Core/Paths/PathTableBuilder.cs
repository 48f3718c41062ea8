using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Paths;

/// <summary>
/// Accumulates paths; rows with the same channel sequence add up. The rows are found again by an
/// open-addressing index over the stored channel ids (a path adds no allocation of its own).
/// </summary>
public sealed class PathTableBuilder
{
    private readonly Interner _channels;
    private int[] _offsets = new int[257];
    private int[] _ids = new int[1024];
    private double[] _conversions = new double[256];
    private double[] _values = new double[256];
    private double[] _nulls = new double[256];
    private int[] _hashes = new int[256];
    private int[] _slots = new int[512]; // row + 1; 0 = empty
    private int _count;
    private int _idCount;

    public PathTableBuilder()
        : this(new Interner())
    {
    }

    /// <summary>Builds over an existing channel dictionary, so channel ids keep their meaning.</summary>
    public PathTableBuilder(Interner channels) => _channels = channels;

    public Interner Channels => _channels;

    public int Count => _count;

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

        var hash = SequenceHash.Of(path);
        var mask = _slots.Length - 1;
        var i = hash & mask;
        int p;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                p = Append(path, hash);
                _slots[i] = p + 1;
                if (_count * 2 > _slots.Length)
                {
                    _slots = OpenSlots.Build(_hashes.AsSpan(0, _count), _slots.Length * 2);
                }

                break;
            }

            p = slot - 1;
            if (_hashes[p] == hash && _ids.AsSpan(_offsets[p], _offsets[p + 1] - _offsets[p]).SequenceEqual(path))
            {
                break;
            }

            i = (i + 1) & mask;
        }

        _conversions[p] += conversions;
        _values[p] += value;
        _nulls[p] += nulls;
    }

    /// <summary>A copy over <paramref name="channels"/> (a copy of this builder's dictionary), added to separately.</summary>
    public PathTableBuilder Clone(Interner channels)
    {
        return new PathTableBuilder(channels)
        {
            _offsets = (int[])_offsets.Clone(),
            _ids = (int[])_ids.Clone(),
            _conversions = (double[])_conversions.Clone(),
            _values = (double[])_values.Clone(),
            _nulls = (double[])_nulls.Clone(),
            _hashes = (int[])_hashes.Clone(),
            _slots = (int[])_slots.Clone(),
            _count = _count,
            _idCount = _idCount,
        };
    }

    /// <summary>
    /// The same rows, in the same order, over <paramref name="channels"/>, each channel id <c>c</c>
    /// becoming <c>map[c]</c> (no two ids may map to one).
    /// </summary>
    public PathTableBuilder Remap(Interner channels, int[] map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var copy = new PathTableBuilder(channels);
        var ids = new List<int>();
        for (var p = 0; p < _count; p++)
        {
            ids.Clear();
            foreach (var c in _ids.AsSpan(_offsets[p], _offsets[p + 1] - _offsets[p]))
            {
                ids.Add(map[c]);
            }

            copy.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids), _conversions[p], _values[p], _nulls[p]);
        }

        return copy;
    }

    public PathTable Build() => new(
        [.. _channels.Names],
        _offsets.AsSpan(0, _count + 1).ToArray(),
        _ids.AsSpan(0, _idCount).ToArray(),
        _conversions.AsSpan(0, _count).ToArray(),
        _values.AsSpan(0, _count).ToArray(),
        _nulls.AsSpan(0, _count).ToArray());

    private int Append(ReadOnlySpan<int> path, int hash)
    {
        var p = _count;
        if (p == _conversions.Length)
        {
            var size = p * 2;
            Array.Resize(ref _offsets, size + 1);
            Array.Resize(ref _conversions, size);
            Array.Resize(ref _values, size);
            Array.Resize(ref _nulls, size);
            Array.Resize(ref _hashes, size);
        }

        if (_idCount + path.Length > _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _idCount + path.Length));
        }

        path.CopyTo(_ids.AsSpan(_idCount));
        _idCount += path.Length;
        _offsets[p + 1] = _idCount;
        _hashes[p] = hash;
        _count++;
        return p;
    }
}
