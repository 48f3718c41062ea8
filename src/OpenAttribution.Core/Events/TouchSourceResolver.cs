using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Resolves a touch's raw traffic fields to its channel, source, medium and campaign, interned in
/// <see cref="Dimensions"/>: the event's own <c>channel</c> when it has one, else the channel grouping
/// over the normalised source (UTM fields, URL parameters, referrer).
/// </summary>
public sealed class TouchSourceResolver
{
    private readonly ChannelGrouping _grouping;
    private readonly Dimensions _names;

    public TouchSourceResolver(ChannelGrouping grouping, Dimensions names)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(names);
        _grouping = grouping;
        _names = names;
    }

    /// <summary>The interned channel, source, medium and campaign of one touch (blank fields are absent).</summary>
    public (int Channel, int Source, int Medium, int Campaign) Resolve(
        string? channel, string? source, string? medium, string? campaign, string? content, string? term, string? referrer, string? url)
    {
        var traffic = TrafficSourceResolver.Resolve(source, medium, campaign, content, term, referrer, url);
        return ResolveNormalized(channel, traffic, referrer);
    }

    /// <summary>
    /// As <see cref="Resolve"/> for a source already normalised by <see cref="TrafficSourceResolver.Resolve"/>
    /// (which does not depend on the grouping, so stores may keep it); <paramref name="referrer"/> is the raw one.
    /// </summary>
    public (int Channel, int Source, int Medium, int Campaign) ResolveNormalized(string? channel, in TrafficSource traffic, string? referrer)
    {
        var channelName = string.IsNullOrEmpty(channel) ? _grouping.Classify(traffic, referrer) : channel;
        return (
            _names.Channels.Intern(channelName),
            _names.Sources.Intern(traffic.Source ?? EventTableBuilder.NotSet),
            _names.Mediums.Intern(traffic.Medium ?? EventTableBuilder.NotSet),
            _names.Campaigns.Intern(traffic.Campaign ?? EventTableBuilder.NotSet));
    }
}
