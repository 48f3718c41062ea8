namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// What a resolved snapshot keeps beside its person-ordered base since the base was built: the base
/// people an incremental update re-resolved (<em>dead</em>: their base rows are skipped) and the rows
/// of every re-resolved or new person, sorted as a full build would place them. Each delta person has
/// an insertion point <c>ins</c>, the base person before whom it goes: its own base number when it was
/// a base person, the first base anonymous person for a new user, the end for a new anonymous person
/// (people are ordered users first, then anonymous ids, each by first appearance, and everything new
/// appeared after everything in the base). Rows are sorted by insertion point, then by the person's
/// place in that order, then by time and input order, so <see cref="SnapshotMerge"/> hands the rows on
/// in exactly the order of a full build.
/// </summary>
internal sealed class SnapshotDelta
{
    public static readonly SnapshotDelta None = new([], [], [], [], [], [], [], []);

    public SnapshotDelta(bool[] dead, int[] ins, int[] persons, long[] times, byte[] kinds, int[] sources, int[] conversions, double[] values)
    {
        Dead = dead;
        Ins = ins;
        Persons = persons;
        Times = times;
        Kinds = kinds;
        Sources = sources;
        Conversions = conversions;
        Values = values;
    }

    /// <summary>By base person number: true when the person's base rows are superseded (empty when none is).</summary>
    public bool[] Dead { get; }

    public int[] Ins { get; }

    /// <summary>The delta person of each row (any distinct number per person; rows of a person are together).</summary>
    public int[] Persons { get; }

    public long[] Times { get; }

    public byte[] Kinds { get; }

    public int[] Sources { get; }

    public int[] Conversions { get; }

    public double[] Values { get; }

    public int Count => Ins.Length;

    public bool IsEmpty => Ins.Length == 0 && Dead.Length == 0;

    /// <summary>
    /// The dead base people alone, without the delta's rows: the base streamed through it
    /// (<see cref="SnapshotMerge"/>) leaves out the dead and adds nobody.
    /// </summary>
    public static SnapshotDelta DeadOnly(IReadOnlyCollection<int> dead, int basePeople) =>
        dead.Count == 0 ? None : new SnapshotDelta(DeadFlags(dead, basePeople), [], [], [], [], [], [], []);

    private static bool[] DeadFlags(IReadOnlyCollection<int> dead, int basePeople)
    {
        var flags = dead.Count == 0 ? [] : new bool[basePeople];
        foreach (var person in dead)
        {
            flags[person] = true;
        }

        return flags;
    }

    /// <summary>
    /// A store's delta from its dead base people and its rows <c>ins, person, ts, value, ...</c> in a
    /// full build's order, whose remaining columns <paramref name="decode"/> turns into the kind, source
    /// id and conversion id.
    /// </summary>
    public static SnapshotDelta Read(
        IReadOnlyCollection<int> dead, int basePeople, System.Data.Common.DbDataReader rows,
        Func<System.Data.Common.DbDataReader, (byte Kind, int Source, int Conversion)> decode)
    {
        var deadPeople = DeadFlags(dead, basePeople);
        var ins = new List<int>();
        var persons = new List<int>();
        var times = new List<long>();
        var kinds = new List<byte>();
        var sources = new List<int>();
        var conversions = new List<int>();
        var values = new List<double>();
        while (rows.Read())
        {
            var (kind, source, conversion) = decode(rows);
            ins.Add(rows.GetInt32(0));
            persons.Add(rows.GetInt32(1));
            times.Add(rows.GetInt64(2));
            values.Add(rows.GetDouble(3));
            kinds.Add(kind);
            sources.Add(source);
            conversions.Add(conversion);
        }

        return deadPeople.Length == 0 && ins.Count == 0
            ? None
            : new SnapshotDelta(deadPeople, [.. ins], [.. persons], [.. times], [.. kinds], [.. sources], [.. conversions], [.. values]);
    }
}
