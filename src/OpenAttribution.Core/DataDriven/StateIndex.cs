using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// The states of an order-k chain: tuples of at most k channel ids, interned to dense ids in order
/// of first appearance. State 0 is <c>(start)</c>, the empty tuple.
/// </summary>
internal sealed class StateIndex
{
    private readonly int _order;
    private int[] _channels;
    private int[] _lengths;
    private int[] _hashes;
    private int[] _slots; // state id + 1; 0 = empty
    private int _count;

    public StateIndex(int order, int capacity = 64)
    {
        _order = order;
        capacity = Math.Max(capacity, 4);
        _channels = new int[capacity * order];
        _lengths = new int[capacity];
        _hashes = new int[capacity];
        _slots = new int[SlotCount(capacity)];
        Intern([]);
    }

    public int Count => _count;

    public int Order => _order;

    public int Length(int state) => _lengths[state];

    public ReadOnlySpan<int> Channels(int state) => _channels.AsSpan(state * _order, _lengths[state]);

    /// <summary>The state reached from <paramref name="state"/> by a touch on <paramref name="channel"/>.</summary>
    public int Successor(int state, int channel)
    {
        Span<int> next = _order <= 64 ? stackalloc int[_order] : new int[_order];
        var current = Channels(state);
        var keep = Math.Min(current.Length, _order - 1);
        current[(current.Length - keep)..].CopyTo(next);
        next[keep] = channel;
        return Intern(next[..(keep + 1)]);
    }

    private int Intern(ReadOnlySpan<int> tuple)
    {
        var hash = SequenceHash.Of(tuple);
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                break;
            }

            var id = slot - 1;
            if (_hashes[id] == hash && Channels(id).SequenceEqual(tuple))
            {
                return id;
            }

            i = (i + 1) & mask;
        }

        if (_count == _lengths.Length)
        {
            Grow();
            return Intern(tuple);
        }

        var state = _count++;
        tuple.CopyTo(_channels.AsSpan(state * _order));
        _lengths[state] = tuple.Length;
        _hashes[state] = hash;
        _slots[i] = state + 1;
        return state;
    }

    private static int SlotCount(int capacity)
    {
        var size = 16;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        return size;
    }

    private void Grow()
    {
        var capacity = _lengths.Length * 2;
        Array.Resize(ref _channels, capacity * _order);
        Array.Resize(ref _lengths, capacity);
        Array.Resize(ref _hashes, capacity);
        _slots = OpenSlots.Build(_hashes.AsSpan(0, _count), SlotCount(capacity));
    }
}
