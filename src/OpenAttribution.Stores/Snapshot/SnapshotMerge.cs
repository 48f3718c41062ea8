namespace OpenAttribution.Stores.Snapshot;

/// <summary>The rows of a resolved snapshot in person order: person, time, kind, source id, conversion id, value.</summary>
internal delegate void SnapshotRowsHandler(
    ReadOnlySpan<int> persons, ReadOnlySpan<long> times, ReadOnlySpan<byte> kinds, ReadOnlySpan<int> sources, ReadOnlySpan<int> conversions, ReadOnlySpan<double> values);

/// <summary>
/// Merges a snapshot's base rows (streamed in person order, in chunks) with its <see cref="SnapshotDelta"/>:
/// base rows of dead people are skipped, and each delta person is handed on just before the first base
/// person at or after its insertion point, which is the order of a full build. People are numbered
/// ascending in that order, not densely: a base person <c>p</c> becomes <c>p</c> plus the number of delta
/// people handed on before it, a delta person the number after the last one handed on. Live base rows
/// are copied in runs, so the merge costs little more than a copy.
/// </summary>
internal sealed class SnapshotMerge
{
    private readonly SnapshotDelta _delta;
    private readonly SnapshotRowsHandler _onRows;
    private int[] _persons = new int[4096];
    private long[] _times = new long[4096];
    private byte[] _kinds = new byte[4096];
    private int[] _sources = new int[4096];
    private int[] _conversions = new int[4096];
    private double[] _values = new double[4096];
    private int _count;
    private int _next;
    private int _base = -1;
    private bool _baseDead;
    private int _offset;
    private int _last = -1;

    public SnapshotMerge(SnapshotDelta delta, SnapshotRowsHandler onRows)
    {
        _delta = delta;
        _onRows = onRows;
    }

    /// <summary>One more than the largest person number handed on (an upper bound of the people, not their count).</summary>
    public int PersonBound => _last + 1;

    /// <summary>The next base rows, people ascending.</summary>
    public void Add(
        ReadOnlySpan<int> persons, ReadOnlySpan<long> times, ReadOnlySpan<byte> kinds, ReadOnlySpan<int> sources, ReadOnlySpan<int> conversions, ReadOnlySpan<double> values)
    {
        var dead = _delta.Dead;
        var run = 0;
        for (var i = 0; i < persons.Length; i++)
        {
            var p = persons[i];
            if (p == _base)
            {
                continue;
            }

            if (p < _base)
            {
                throw new InvalidDataException($"the snapshot is not ordered by person: person {p} after person {_base}");
            }

            var isDead = p < dead.Length && dead[p];
            var deltaDue = _next < _delta.Count && _delta.Ins[_next] <= p;
            if (isDead || _baseDead || deltaDue)
            {
                // The run of live rows before this person ends here.
                if (!_baseDead)
                {
                    Run(run, i, persons, times, kinds, sources, conversions, values);
                }

                run = i;
                DeltaUpTo(p);
            }

            _base = p;
            _baseDead = isDead;
        }

        if (!_baseDead)
        {
            Run(run, persons.Length, persons, times, kinds, sources, conversions, values);
        }

        Hand();
    }

    /// <summary>Hands on the delta people after the last base person.</summary>
    public void Complete()
    {
        DeltaUpTo(int.MaxValue);
        Hand();
    }

    private void Run(
        int from, int to, ReadOnlySpan<int> persons, ReadOnlySpan<long> times, ReadOnlySpan<byte> kinds, ReadOnlySpan<int> sources, ReadOnlySpan<int> conversions, ReadOnlySpan<double> values)
    {
        var n = to - from;
        if (n == 0)
        {
            return;
        }

        Reserve(n);
        var offset = _offset;
        var target = _persons.AsSpan(_count, n);
        var source = persons.Slice(from, n);
        for (var i = 0; i < n; i++)
        {
            target[i] = source[i] + offset;
        }

        times.Slice(from, n).CopyTo(_times.AsSpan(_count));
        kinds.Slice(from, n).CopyTo(_kinds.AsSpan(_count));
        sources.Slice(from, n).CopyTo(_sources.AsSpan(_count));
        conversions.Slice(from, n).CopyTo(_conversions.AsSpan(_count));
        values.Slice(from, n).CopyTo(_values.AsSpan(_count));
        _count += n;
        _last = target[n - 1];
    }

    private void DeltaUpTo(int basePerson)
    {
        var d = _delta;
        while (_next < d.Count && d.Ins[_next] <= basePerson)
        {
            var person = d.Persons[_next];
            var id = ++_last;
            _offset++;
            for (; _next < d.Count && d.Persons[_next] == person; _next++)
            {
                Reserve(1);
                _persons[_count] = id;
                _times[_count] = d.Times[_next];
                _kinds[_count] = d.Kinds[_next];
                _sources[_count] = d.Sources[_next];
                _conversions[_count] = d.Conversions[_next];
                _values[_count] = d.Values[_next];
                _count++;
            }
        }
    }

    private void Reserve(int more)
    {
        if (_count + more <= _persons.Length)
        {
            return;
        }

        var size = Math.Max(_persons.Length * 2, _count + more);
        Array.Resize(ref _persons, size);
        Array.Resize(ref _times, size);
        Array.Resize(ref _kinds, size);
        Array.Resize(ref _sources, size);
        Array.Resize(ref _conversions, size);
        Array.Resize(ref _values, size);
    }

    private void Hand()
    {
        if (_count == 0)
        {
            return;
        }

        _onRows(
            _persons.AsSpan(0, _count), _times.AsSpan(0, _count), _kinds.AsSpan(0, _count),
            _sources.AsSpan(0, _count), _conversions.AsSpan(0, _count), _values.AsSpan(0, _count));
        _count = 0;
    }
}
