namespace OpenAttribution.Core.Text;

/// <summary>
/// Maps strings to dense small integers (0, 1, 2, ...) and back. Lookups by span do not allocate,
/// so readers can intern fields straight from their buffers.
/// </summary>
public sealed class Interner
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byspan;
    private readonly List<string> _names = [];

    public Interner()
    {
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        _byspan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _names.Count;

    public IReadOnlyList<string> Names => _names;

    public string this[int id] => _names[id];

    public int Intern(ReadOnlySpan<char> name)
    {
        if (_byspan.TryGetValue(name, out var id))
        {
            return id;
        }

        var s = name.ToString();
        id = _names.Count;
        _ids.Add(s, id);
        _names.Add(s);
        return id;
    }

    public int Intern(string name)
    {
        if (_ids.TryGetValue(name, out var id))
        {
            return id;
        }

        id = _names.Count;
        _ids.Add(name, id);
        _names.Add(name);
        return id;
    }

    public bool TryGet(ReadOnlySpan<char> name, out int id) => _byspan.TryGetValue(name, out id);

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
    public int Find(string name) => _ids.TryGetValue(name, out var id) ? id : -1;
}
