using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>A 64-bit hash of an event id (a seam: tests pass one that collides).</summary>
internal delegate ulong EventIdHash(ReadOnlySpan<char> id);

/// <summary>
/// The 64-bit hashes of the event ids of one import, in an open-addressing table, to tell whether an
/// id may repeat within the import. Only the answer "every hash is distinct" is exact (then every id
/// is distinct); a repeated hash is a repeated id or a collision, which the import's SQL duplicate
/// check then settles exactly. Grows by doubling; past <see cref="MaxSlots"/> it gives up (the SQL
/// check runs), so that memory stays bounded (256 MB) on huge files.
/// </summary>
internal sealed class EventIdHashSet
{
    /// <summary>2^25 slots of 8 bytes: up to ~20M ids.</summary>
    private const int MaxSlots = 1 << 25;

    public static readonly EventIdHash XxHash3Of = id => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id));

    private ulong[] _slots = new ulong[1 << 16];
    private int _count;

    /// <summary>
    /// Adds <paramref name="hash"/>; false when it was already there (a possible repeat) or the set is
    /// full (repeats can no longer be ruled out).
    /// </summary>
    public bool Add(ulong hash)
    {
        // 0 marks an empty slot.
        hash = hash == 0 ? 1 : hash;
        if ((_count + 1) * 5L > _slots.Length * 3L)
        {
            if (_slots.Length >= MaxSlots)
            {
                return false;
            }

            Grow();
        }

        var mask = _slots.Length - 1;
        var i = (int)(hash >> 32) & mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                _slots[i] = hash;
                _count++;
                return true;
            }

            if (slot == hash)
            {
                return false;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var hash in old)
        {
            if (hash != 0)
            {
                var i = (int)(hash >> 32) & mask;
                while (_slots[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                _slots[i] = hash;
            }
        }
    }
}
