namespace OpenAttribution.Stores.Snapshot;

/// <summary>The rows of a resolved snapshot in person order: person, time, kind, source id, conversion id, value.</summary>
internal delegate void SnapshotRowsHandler(
    ReadOnlySpan<int> persons, ReadOnlySpan<long> times, ReadOnlySpan<byte> kinds, ReadOnlySpan<int> sources, ReadOnlySpan<int> conversions, ReadOnlySpan<double> values);

/// <summary>
/// Merges a snapshot's base rows (streamed in person order, in chunks) with its <see cref="SnapshotDelta"/>:
/// base rows of dead people are skipped, and each delta person is handed on just before the first base
/// person at or after its insertion point. People are numbered afresh, densely and ascending, in the
/// merged order (<see cref="People"/> of them), which is the order of a full build.
/// </summary>
internal sealed class SnapshotMerge
{
    private const int Flush = 4096;

    private readonly SnapshotDelta _delta;
    private readonly SnapshotRowsHandler _onRows;
    private readonly List<int> _persons = new(Flush);
    private readonly List<long> _times = new(Flush);
    private readonly List<byte> _kinds = new(Flush);
    private readonly List<int> _sources = new(Flush);
    private readonly List<int> _conversions = new(Flush);
    private readonly List<double> _values = new(Flush);
    private int _next;
    private int _base = -1;
    private bool _baseDead;
    private int _person = -1;

    public SnapshotMerge(SnapshotDelta delta, SnapshotRowsHandler onRows)
    {
        _delta = delta;
        _onRows = onRows;
    }

    /// <summary>Number of people handed on so far (all of them after <see cref="Complete"/>).</summary>
    public int People => _person + 1;

    /// <summary>The next base rows, people ascending.</summary>
    public void Add(
        ReadOnlySpan<int> persons, ReadOnlySpan<long> times, ReadOnlySpan<byte> kinds, ReadOnlySpan<int> sources, ReadOnlySpan<int> conversions, ReadOnlySpan<double> values)
    {
        var dead = _delta.Dead;
        for (var i = 0; i < persons.Length; i++)
        {
            var p = persons[i];
            if (p != _base)
            {
                if (p < _base)
                {
                    throw new InvalidDataException($"the snapshot is not ordered by person: person {p} after person {_base}");
                }

                DeltaUpTo(p);
                _base = p;
                _baseDead = p < dead.Length && dead[p];
                if (!_baseDead)
                {
                    _person++;
                }
            }

            if (!_baseDead)
            {
                Row(times[i], kinds[i], sources[i], conversions[i], values[i]);
            }
        }

        Hand();
    }

    /// <summary>Hands on the delta people after the last base person.</summary>
    public void Complete()
    {
        DeltaUpTo(int.MaxValue);
        Hand();
    }

    private void DeltaUpTo(int basePerson)
    {
        var d = _delta;
        while (_next < d.Count && d.Ins[_next] <= basePerson)
        {
            var person = d.Persons[_next];
            _person++;
            for (; _next < d.Count && d.Persons[_next] == person; _next++)
            {
                Row(d.Times[_next], d.Kinds[_next], d.Sources[_next], d.Conversions[_next], d.Values[_next]);
            }
        }
    }

    private void Row(long time, byte kind, int source, int conversion, double value)
    {
        _persons.Add(_person);
        _times.Add(time);
        _kinds.Add(kind);
        _sources.Add(source);
        _conversions.Add(conversion);
        _values.Add(value);
        if (_persons.Count >= Flush * 16)
        {
            Hand();
        }
    }

    private void Hand()
    {
        if (_persons.Count == 0)
        {
            return;
        }

        _onRows(
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_persons),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_times),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_kinds),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_sources),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_conversions),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_values));
        _persons.Clear();
        _times.Clear();
        _kinds.Clear();
        _sources.Clear();
        _conversions.Clear();
        _values.Clear();
    }
}
