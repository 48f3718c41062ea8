namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// When a store that stays open compacts its snapshot's delta in the background (DuckDB and
/// PostgreSQL alike): from the store's second incremental update on (a store opened for one import
/// never compacts), once the delta's current rows pass <see cref="Share"/> of the base (plus the same
/// share of a floor), and only when that is more than <see cref="Growth"/> times what the last
/// compaction left or half the blocking threshold. The events that arrive during a compaction re-resolve
/// their people, all their rows, so a slow build (PostgreSQL at 10M events: minutes) leaves a delta of
/// its own, and compacting again at once would only leave the same again.
/// </summary>
internal sealed class CompactionTrigger
{
    /// <summary>The delta (current rows) at which the updates give way to a blocking full build, as a share of the base.</summary>
    public const double BlockingShare = 0.125;

    /// <summary>The floor of the blocking threshold, in rows.</summary>
    public const long BlockingFloor = 50_000;

    /// <summary>What the tables of a compaction's build are named with until they are swapped in (both stores).</summary>
    public const string BesideSuffix = "_next";

    /// <summary>
    /// The delta (current rows), or the events to apply, past which an update gives way to a full build:
    /// <see cref="BlockingFloor"/> plus <see cref="BlockingShare"/> of the base.
    /// </summary>
    public static long BlockingLimit(long baseRows) => BlockingFloor + (long)(BlockingShare * baseRows);

    private readonly Lock _lock = new();
    private int _updates;
    private long _left;

    /// <summary>The delta's share of the base at which a compaction starts: a quarter of the blocking one.</summary>
    public double Share { get; set; } = BlockingShare / 4;

    /// <summary>The latest compaction started, if any: true when it was swapped in (tests wait for it).</summary>
    public Task<bool>? Latest { get; set; }

    /// <summary>True while the latest compaction runs.</summary>
    public bool Running => Latest is { IsCompleted: false };

    /// <summary>Runs on the compaction's thread between its build and its swap (tests: imports and updates meanwhile).</summary>
    public Action? BeforeSwap { get; set; }

    /// <summary>How many times the delta the last compaction left the delta must have grown to (tests: 0).</summary>
    public double Growth { get; set; } = 2;

    /// <summary>
    /// Called after each incremental update with the snapshot's base and delta rows: true when a
    /// compaction is due now (the caller starts it and sets <see cref="Latest"/>).
    /// </summary>
    public bool Due(long baseRows, long deltaRows)
    {
        lock (_lock)
        {
            if (++_updates < 2)
            {
                return false;
            }

            if (_left < 0)
            {
                _left = deltaRows; // the first update after a swap: what the compaction left
            }

            // Half-way to the blocking build it is due whatever the last one left.
            return deltaRows > (long)(BlockingFloor * Share / BlockingShare) + (long)(Share * baseRows) &&
                   (deltaRows > Growth * _left || deltaRows > BlockingLimit(baseRows) / 2);
        }
    }

    /// <summary>A full build left an empty delta.</summary>
    public void Rebuilt()
    {
        lock (_lock)
        {
            _left = 0;
        }
    }

    /// <summary>A compaction was swapped in: the next update's delta is what it left.</summary>
    public void Swapped()
    {
        lock (_lock)
        {
            _left = -1;
        }
    }
}
