namespace OpenAttribution.Stores.Snapshot;

/// <summary>
/// What a report kept over a resolved snapshot was folded from (<see cref="IResolvedEventSource.ReadJourneyParts"/>):
/// the build of the snapshot's base and the update (version) it was brought up to.
/// </summary>
public sealed class SnapshotMark
{
    internal SnapshotMark(string build, long version)
    {
        Build = build;
        Version = version;
    }

    /// <summary>The base's build (each full build of the snapshot is a new one).</summary>
    public string Build { get; }

    /// <summary>The update of the snapshot the fold was brought up to (0: the build itself).</summary>
    public long Version { get; }
}

/// <summary>The store-independent half of <see cref="IResolvedEventSource.ReadJourneyParts"/>.</summary>
internal static class SnapshotParts
{
    /// <summary>
    /// Whether a kept fold at <paramref name="since"/> can be brought up to <paramref name="version"/>
    /// of base <paramref name="build"/>, whose versions before <paramref name="purged"/> are gone.
    /// </summary>
    public static bool Continues(SnapshotMark? since, string build, long version, long purged) =>
        since is not null && build.Length > 0 && string.Equals(since.Build, build, StringComparison.Ordinal)
        && since.Version <= version && since.Version >= purged;

    /// <summary>
    /// Above this many people re-resolved since the mark, a report starts afresh rather than read each
    /// one's rows by index.
    /// </summary>
    public const int MaxRemovedPeople = 20_000;

    /// <summary>
    /// How many updates the superseded delta rows and the lists of re-resolved people are kept for: a
    /// report kept at an older version folds afresh. The server updates at most twice a second, so
    /// this is at least a minute of ingestion (a dashboard asks more often). Every update writes all
    /// the rows of each person it re-resolves again, so the superseded rows of active people pile up
    /// in the delta until purged: with 600 updates kept, the update's read of those people's current
    /// rows grew from 26 ms to 175 ms over ten minutes at 1,000 events/s.
    /// </summary>
    public const long KeptVersions = 120;
}
