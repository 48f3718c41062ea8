using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Models;

/// <summary>One path as the weight functions see it: spans over the journey set's columns.</summary>
public readonly ref struct TouchContext
{
    public TouchContext(JourneySet set, int start, int length, long conversionTime)
    {
        Channels = set.TouchChannels.AsSpan(start, length);
        Times = set.HasTimestamps ? set.TouchTimes.AsSpan(start, length) : default;
        Sources = set.TouchSources.Length > 0 ? set.TouchSources.AsSpan(start, length) : default;
        Mediums = set.TouchMediums.Length > 0 ? set.TouchMediums.AsSpan(start, length) : default;
        Campaigns = set.TouchCampaigns.Length > 0 ? set.TouchCampaigns.AsSpan(start, length) : default;
        ConversionTime = conversionTime;
        DirectId = set.DirectId;
    }

    public ReadOnlySpan<int> Channels { get; }

    /// <summary>Empty when the journeys have no timestamps.</summary>
    public ReadOnlySpan<long> Times { get; }

    public ReadOnlySpan<int> Sources { get; }

    public ReadOnlySpan<int> Mediums { get; }

    public ReadOnlySpan<int> Campaigns { get; }

    public long ConversionTime { get; }

    public int DirectId { get; }

    public int Length => Channels.Length;
}
