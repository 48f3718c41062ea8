namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// A store that compacts its snapshot's delta in the background once it has grown (DuckDB and
/// PostgreSQL): a full build beside the snapshot while updates and reports go on, swapped in under the
/// store's update lock. What the store contract's tests drive and wait for.
/// </summary>
internal interface IBackgroundCompaction
{
    /// <summary>When a compaction starts, and the latest one.</summary>
    CompactionTrigger CompactionTrigger { get; }

    /// <summary>Rebuilds the whole snapshot now, under the update lock (the blocking build).</summary>
    void BuildFully();

    /// <summary>The id of the build the snapshot is of.</summary>
    string CurrentBuild();

    /// <summary>How many tables of an unfinished compaction are left in the store.</summary>
    int TablesBeside();
}
