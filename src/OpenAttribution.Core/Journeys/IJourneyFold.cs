namespace OpenAttribution.Core.Journeys;

/// <summary>
/// What folds batches of journeys into sums over people (<see cref="Models.AttributionAccumulator"/>,
/// <see cref="Reports.PathReportAccumulator"/>), so that a report can be kept and brought up to date:
/// copied, carried over to a later read's longer names, and given negated journeys
/// (<see cref="JourneySet.Negated"/>) to take people away.
/// </summary>
public interface IJourneyFold<TSelf>
    where TSelf : IJourneyFold<TSelf>
{
    /// <summary>The next batch; every batch shares the first one's names (after <see cref="Rebase"/>, the rebased ones).</summary>
    void Add(JourneySet batch);

    /// <summary>
    /// Goes on with batches of a later read whose names of the fold's dimension begin with every name
    /// of the batches so far, in the same order, and may hold more.
    /// </summary>
    void Rebase(JourneySet batch);

    /// <summary>A copy that further batches are added to separately.</summary>
    TSelf Clone();
}
