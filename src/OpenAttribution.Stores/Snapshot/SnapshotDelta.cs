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
}
