namespace OpenAttribution.Core.Text;

/// <summary>A growable array of unmanaged values: one column of a columnar table.</summary>
public sealed class Column<T>
    where T : unmanaged
{
    private T[] _items;

    public Column(int capacity = 1024) => _items = new T[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public T this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);

    /// <summary>Empties the column, keeping its capacity.</summary>
    public void Clear() => Count = 0;

    /// <summary>The backing array (may be longer than <see cref="Count"/>).</summary>
    public T[] Items => _items;

    public T[] ToArray() => AsSpan().ToArray();
}
