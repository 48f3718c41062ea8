using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace OpenAttribution.Core.Text;

/// <summary>
/// Dense ids (0, 1, 2, ...) for identifiers known only by their 128-bit hash (XxHash128): person ids
/// and event ids, where the text itself is never shown again. An open-addressing table with linear
/// probing: the hash is already uniform, so no second hash and no string is kept. Two different
/// identifiers collide with probability about n^2 / 2^129 (below 10^-18 for 10 billion ids).
/// </summary>
public sealed class HashedIds
{
    private UInt128[] _keys;
    private int[]? _ids;
    private int _mask;

    /// <param name="capacity">Expected number of identifiers.</param>
    /// <param name="keepIds">False for a plain set (<see cref="Add"/> only): no id column is kept.</param>
    public HashedIds(int capacity = 1024, bool keepIds = true)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity + (capacity / 2)));
        _keys = new UInt128[size];
        _ids = keepIds ? new int[size] : null;
        _mask = size - 1;
    }

    /// <summary>
    /// The ids of identifiers known by their hashes, <paramref name="keys"/>[i] having id i. The table is
    /// built when first asked: a reader that assigns ids itself (<c>ParallelEventReader</c>) rarely needs it.
    /// </summary>
    internal static HashedIds FromKeys(UInt128[] keys)
    {
        var ids = new HashedIds(16) { _pending = keys, Count = keys.Length };
        return ids;
    }

    private UInt128[]? _pending;

    public int Count { get; private set; }

    /// <summary>
    /// Takes the next <paramref name="count"/> ids for identifiers whose text is not known here (a
    /// store resolved them); only used before any <see cref="Intern(ReadOnlySpan{char})"/>.
    /// </summary>
    internal void AddUnnamed(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (Count != 0)
        {
            throw new InvalidOperationException("unnamed ids come before any interned one");
        }

        Count = count;
    }

    public static UInt128 Hash(ReadOnlySpan<char> text)
    {
        var h = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(text));
        return h == UInt128.Zero ? UInt128.One : h; // zero marks an empty slot
    }

    /// <summary>The id of <paramref name="text"/>, assigning the next one when it is new (-1 for a plain set).</summary>
    public int Intern(ReadOnlySpan<char> text) => Intern(Hash(text), out _);

    /// <summary>Adds the identifier; false when it was there already.</summary>
    public bool Add(ReadOnlySpan<char> text)
    {
        Intern(Hash(text), out var added);
        return added;
    }

    private int Intern(UInt128 key, out bool added)
    {
        if (_pending is not null)
        {
            Materialize();
        }

        var slot = (int)(ulong)key & _mask;
        while (true)
        {
            var k = _keys[slot];
            if (k == key)
            {
                added = false;
                return _ids is null ? -1 : _ids[slot];
            }

            if (k == UInt128.Zero)
            {
                break;
            }

            slot = (slot + 1) & _mask;
        }

        added = true;
        var id = Count++;
        _keys[slot] = key;
        if (_ids is not null)
        {
            _ids[slot] = id;
        }

        // Grow at 3/4 full: linear probing over uniform hashes stays short there.
        if (Count > _keys.Length - (_keys.Length >> 2))
        {
            Grow();
        }

        return id;
    }

    private void Materialize()
    {
        var keys = _pending!;
        _pending = null;
        Count = 0;
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, keys.Length + (keys.Length / 2) + 1));
        _keys = new UInt128[size];
        _ids = new int[size];
        _mask = size - 1;
        foreach (var key in keys)
        {
            Intern(key, out _);
        }
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldIds = _ids;
        _keys = new UInt128[oldKeys.Length * 2];
        _ids = oldIds is null ? null : new int[oldKeys.Length * 2];
        _mask = _keys.Length - 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            var k = oldKeys[i];
            if (k == UInt128.Zero)
            {
                continue;
            }

            var slot = (int)(ulong)k & _mask;
            while (_keys[slot] != UInt128.Zero)
            {
                slot = (slot + 1) & _mask;
            }

            _keys[slot] = k;
            if (_ids is not null)
            {
                _ids[slot] = oldIds![i];
            }
        }
    }
}
