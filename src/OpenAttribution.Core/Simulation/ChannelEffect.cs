namespace OpenAttribution.Core.Simulation;

/// <summary>
/// One simulated channel: how often people see it and what an exposure does. Field meanings and
/// defaults: docs/evaluation.md.
/// </summary>
public sealed record ChannelEffect(string Name)
{
    /// <summary>Chance that a person is exposed to the channel at least once.</summary>
    public double Reach { get; init; }

    /// <summary>Mean exposures of a reached person (geometric count, at least 1; exactly 1 when 1).</summary>
    public double Frequency { get; init; } = 1;

    /// <summary>Chance that one exposure causes a conversion (its causal lift).</summary>
    public double Lift { get; init; }

    /// <summary>Each further exposure of this channel to the same person has the previous one's lift times this.</summary>
    public double RepeatLift { get; init; } = 1;

    public ExposureTiming Timing { get; init; } = ExposureTiming.Anytime;

    /// <summary>Mean days from a causing exposure to its conversion (exponential): how fast the effect shows.</summary>
    public double DelayDays { get; init; } = 2;

    /// <summary>
    /// Chance that a person who converts arrives through this channel shortly before converting:
    /// a consequence of the decision, not a cause, so it never changes whether anyone converts.
    /// </summary>
    public double Closing { get; init; }
}
