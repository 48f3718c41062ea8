namespace OpenAttribution.Core.Journeys;

/// <summary>How conversions are turned into paths (spec section 2).</summary>
public sealed record JourneyOptions
{
    public static readonly TimeSpan DefaultLookback = TimeSpan.FromDays(30);

    /// <summary>A touch belongs to a conversion when <c>conversion - Lookback &lt; touch &lt;= conversion</c>.</summary>
    public TimeSpan Lookback { get; init; } = DefaultLookback;

    /// <summary>Only conversions with this name count; null = every conversion.</summary>
    public string? ConversionName { get; init; }

    /// <summary>A path starts after the person's previous counted conversion.</summary>
    public bool ResetOnConversion { get; init; }

    /// <summary>Only conversions at or after this instant are reported (UTC ticks); null = no bound.</summary>
    public long? FromTicks { get; init; }

    /// <summary>Only conversions before this instant are reported (UTC ticks); null = no bound.</summary>
    public long? ToTicks { get; init; }
}
