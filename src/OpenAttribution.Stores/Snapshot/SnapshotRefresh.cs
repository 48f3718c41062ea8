namespace OpenAttribution.Stores.Snapshot;

/// <summary>How a resolved snapshot was brought up to date with the stored events.</summary>
public enum SnapshotRefresh
{
    /// <summary>It already covered every stored event.</summary>
    Current,

    /// <summary>The events stored since were applied to it: work in proportion to them and the people they touch.</summary>
    Incremental,

    /// <summary>It was built from all the events.</summary>
    Full,
}
