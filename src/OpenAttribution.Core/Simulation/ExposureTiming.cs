namespace OpenAttribution.Core.Simulation;

/// <summary>When in a person's journey a channel's exposures fall.</summary>
public enum ExposureTiming
{
    /// <summary>Anywhere in the journey, uniformly.</summary>
    Anytime,

    /// <summary>Only in the first fifth of the journey: the channel introduces people.</summary>
    Early,
}
