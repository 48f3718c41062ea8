namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// Open-addressing hash map from non-negative <see cref="long"/> keys to <see cref="int"/> values
/// (Fibonacci hashing, linear probing). Used to memoise the transition "state s, next channel c".
/// </summary>
internal sealed class LongIntMap
{
    private const long Empty = -1;
    private long[] _keys;
    private int[] _values;
    private int _shift;
    private int _count;

    public LongIntMap(int capacity = 16)
    {
        var size = 16;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        _keys = new long[size];
        _values = new int[size];
        Array.Fill(_keys, Empty);
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    public int Count => _count;

    public bool TryGetValue(long key, out int value)
    {
        var mask = _keys.Length - 1;
        var i = Slot(key);
        while (true)
        {
            var k = _keys[i];
            if (k == key)
            {
                value = _values[i];
                return true;
            }

            if (k == Empty)
            {
                value = 0;
                return false;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Adds a key that is known to be absent.</summary>
    public void Add(long key, int value)
    {
        if ((_count + 1) * 2 > _keys.Length)
        {
            Grow();
        }

        Insert(key, value);
        _count++;
    }

    private int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Insert(long key, int value)
    {
        var mask = _keys.Length - 1;
        var i = Slot(key);
        while (_keys[i] != Empty)
        {
            i = (i + 1) & mask;
        }

        _keys[i] = key;
        _values[i] = value;
    }

    private void Grow()
    {
        var keys = _keys;
        var values = _values;
        _keys = new long[keys.Length * 2];
        _values = new int[keys.Length * 2];
        Array.Fill(_keys, Empty);
        _shift--;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != Empty)
            {
                Insert(keys[i], values[i]);
            }
        }
    }
}
