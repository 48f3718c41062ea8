namespace OpenAttribution.Core.Simulation;

/// <summary>A channel's true effect: the conversions that disappear when it is switched off.</summary>
public sealed record ChannelTruth(string Channel, long Incremental);

/// <summary>
/// What really caused the simulated conversions. <see cref="Baseline"/> converts with every
/// channel off (the "(none)" row); each channel's <see cref="ChannelTruth.Incremental"/> is lost
/// without it. Conversions that no single channel is needed for (two channels each enough on their
/// own) are in neither: <see cref="Overdetermined"/>. True shares divide by what is assigned.
/// </summary>
public sealed record GroundTruth(long Conversions, long Baseline, IReadOnlyList<ChannelTruth> Channels)
{
    public const string BaselineKey = "(none)";

    public long Assigned => Baseline + Channels.Sum(c => c.Incremental);

    public long Overdetermined => Conversions - Assigned;

    /// <summary>Share of the assigned conversions: the channel's incremental, or the baseline for "(none)".</summary>
    public double Share(long incremental) => Assigned == 0 ? 0 : (double)incremental / Assigned;

    /// <summary>Every row, channels in scenario order, then "(none)" for the baseline.</summary>
    public IEnumerable<ChannelTruth> Rows() => Channels.Append(new ChannelTruth(BaselineKey, Baseline));
}
