using System.Runtime.InteropServices;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// What a report kept over a resolved snapshot's base was folded from
/// (<see cref="IResolvedEventSource.ReadJourneyParts"/>): the build of the base, the base people who
/// were already re-resolved then (left out of it), and the time-decay reference its journeys used.
/// </summary>
public sealed class SnapshotMark
{
    internal SnapshotMark(string build, int[] dead, long reference)
    {
        Build = build;
        Dead = dead;
        Reference = reference;
    }

    /// <summary>A mark of a versioned snapshot (DuckDB): the base's build and the update it was read at.</summary>
    internal SnapshotMark(string build, long version, long reference)
        : this(build, [], reference) => Version = version;

    /// <summary>The update of the snapshot the fold was brought up to (versioned snapshots; else 0).</summary>
    public long Version { get; }

    /// <summary>The base's build (each full build of the snapshot is a new one).</summary>
    public string Build { get; }

    /// <summary>The base people left out of the kept fold, ascending.</summary>
    internal int[] Dead { get; }

    /// <summary>How many base people were left out.</summary>
    public int DeadPeople => Dead.Length;

    /// <summary>The time-decay reference of the kept fold's journeys (<see cref="JourneyStream"/>).</summary>
    public long Reference { get; }
}

/// <summary>
/// The store-independent half of <see cref="IResolvedEventSource.ReadJourneyParts"/>: which base people
/// were re-resolved since a mark, and the delta's rows as a journey stream.
/// </summary>
internal static class SnapshotParts
{
    /// <summary>
    /// Above this many base people re-resolved since the mark, a report starts afresh rather than read
    /// each one's base rows by index.
    /// </summary>
    public const int MaxRemovedPeople = 20_000;

    /// <summary>The dead base people of <paramref name="delta"/>, ascending.</summary>
    public static int[] Dead(SnapshotDelta delta)
    {
        var dead = new List<int>();
        for (var p = 0; p < delta.Dead.Length; p++)
        {
            if (delta.Dead[p])
            {
                dead.Add(p);
            }
        }

        return [.. dead];
    }

    /// <summary>
    /// The base people dead now (<paramref name="dead"/>) but not at <paramref name="since"/>; null when
    /// the mark cannot be continued: another build, a person dead then and not now, or more than
    /// <see cref="MaxRemovedPeople"/> to take away.
    /// </summary>
    public static int[]? Removed(SnapshotMark? since, string build, int[] dead)
    {
        if (since is null || !string.Equals(since.Build, build, StringComparison.Ordinal) || dead.Length - since.Dead.Length > MaxRemovedPeople)
        {
            return null;
        }

        var removed = new List<int>();
        var j = 0;
        foreach (var p in dead)
        {
            if (j < since.Dead.Length && since.Dead[j] == p)
            {
                j++;
            }
            else if (j < since.Dead.Length && since.Dead[j] < p)
            {
                return null; // dead then, not now: not this base
            }
            else
            {
                removed.Add(p);
            }
        }

        return j == since.Dead.Length ? [.. removed] : null;
    }

    /// <summary>The delta's rows into <paramref name="stream"/>, each delta person numbered after the last.</summary>
    public static void StreamDelta(SnapshotDelta delta, JourneyStream stream)
    {
        var count = delta.Count;
        var persons = new int[count];
        var number = -1;
        for (var i = 0; i < count; i++)
        {
            if (i == 0 || delta.Persons[i] != delta.Persons[i - 1] || delta.Ins[i] != delta.Ins[i - 1])
            {
                number++;
            }

            persons[i] = number;
        }

        stream.Add(persons, delta.Times, MemoryMarshal.Cast<byte, EventType>(delta.Kinds.AsSpan()), delta.Sources, delta.Conversions, delta.Values);
        stream.Complete();
    }

    /// <summary>A delta with the same dead people and no rows: streaming the base through it leaves out the dead.</summary>
    public static SnapshotDelta DeadOnly(SnapshotDelta delta) =>
        delta.Count == 0 ? delta : new SnapshotDelta(delta.Dead, [], [], [], [], [], [], []);
}
