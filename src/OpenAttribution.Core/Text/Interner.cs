namespace OpenAttribution.Core.Text;

/// <summary>
/// Maps strings to dense small integers (0, 1, 2, ...) and back. Lookups by span do not allocate,
/// so readers can intern fields straight from their buffers. The index is an open-addressing table
/// of ids keyed by a multiply-mix hash of the characters, seeded per instance (so a crafted input
/// cannot aim at its collisions across runs); it is several times cheaper per lookup than a
/// dictionary with the ordinal comparer for the short names of channels, sources and campaigns.
/// </summary>
public sealed class Interner
{
    private readonly List<string> _names = [];
    private readonly uint _seed = (uint)Random.Shared.Next() | 1;
    private int[] _hashes = new int[16];
    private int[] _slots = new int[32]; // id + 1; 0 = empty

    public int Count => _names.Count;

    public IReadOnlyList<string> Names => _names;

    public string this[int id] => _names[id];

    public int Intern(ReadOnlySpan<char> name)
    {
        var hash = Hash(name);
        var i = Find(name, hash);
        return _slots[i] != 0 ? _slots[i] - 1 : Add(name.ToString(), hash, i);
    }

    public int Intern(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = Hash(name);
        var i = Find(name, hash);
        return _slots[i] != 0 ? _slots[i] - 1 : Add(name, hash, i);
    }

    public bool TryGet(ReadOnlySpan<char> name, out int id)
    {
        var slot = _slots[Find(name, Hash(name))];
        id = slot - 1;
        return slot != 0;
    }

    /// <summary>A copy: the same names with the same ids, interned into separately.</summary>
    public Interner Clone()
    {
        var copy = new Interner();
        foreach (var name in _names)
        {
            copy.Intern(name);
        }

        return copy;
    }

    /// <summary>True when the first <paramref name="count"/> names are those of <paramref name="other"/>, with the same ids.</summary>
    public bool StartsWith(Interner other, int count)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (count > _names.Count || count > other._names.Count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!string.Equals(_names[i], other._names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The id of <paramref name="name"/>, or -1 when it was never interned.</summary>
    public int Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out var id) ? id : -1;
    }

    /// <summary>The slot holding <paramref name="name"/>, or the empty slot where it would go.</summary>
    private int Find(ReadOnlySpan<char> name, int hash)
    {
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0 || (_hashes[slot - 1] == hash && name.SequenceEqual(_names[slot - 1])))
            {
                return i;
            }

            i = (i + 1) & mask;
        }
    }

    private int Add(string name, int hash, int slot)
    {
        var id = _names.Count;
        _names.Add(name);
        if (id == _hashes.Length)
        {
            Array.Resize(ref _hashes, id * 2);
        }

        _hashes[id] = hash;
        _slots[slot] = id + 1;
        if (_names.Count * 2 > _slots.Length)
        {
            _slots = OpenSlots.Build(_hashes.AsSpan(0, _names.Count), _slots.Length * 2);
        }

        return id;
    }

    private int Hash(ReadOnlySpan<char> name)
    {
        var h = _seed ^ ((uint)name.Length * 0x9E3779B1u);
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<char, uint>(name);
        foreach (var w in words)
        {
            h = (h ^ w) * 0x85EBCA6Bu;
            h ^= h >> 13;
        }

        if ((name.Length & 1) != 0)
        {
            h = (h ^ name[^1]) * 0x85EBCA6Bu;
        }

        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return (int)(h & 0x7FFFFFFF);
    }
}
