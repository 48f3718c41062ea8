namespace OpenAttribution.Core.Channels;

/// <summary>
/// The normalised traffic source of a touch: the five UTM dimensions as GA4 reports them.
/// A missing value is <see langword="null"/> (rules read it as <c>(not set)</c>).
/// </summary>
public readonly record struct TrafficSource(string? Source, string? Medium, string? Campaign, string? Content, string? Term)
{
    /// <summary>The source of a touch that has no source, no medium and no referrer.</summary>
    public const string DirectSource = "(direct)";

    /// <summary>The medium of a touch that has no source, no medium and no referrer.</summary>
    public const string NoneMedium = "(none)";

    /// <summary>The value rules see for a missing field, as in GA4.</summary>
    public const string NotSet = "(not set)";

    /// <summary><c>(direct) / (none)</c> with no campaign.</summary>
    public static TrafficSource Direct => new(DirectSource, NoneMedium, null, null, null);
}
