namespace OpenAttribution.Core.Channels;

/// <summary>The field values one classification tests; a missing value reads as <c>(not set)</c>.</summary>
internal readonly struct MatchInput
{
    private readonly string source;
    private readonly string medium;
    private readonly string campaign;
    private readonly string content;
    private readonly string term;
    private readonly string referrer;
    private readonly string channel;

    public MatchInput(in TrafficSource traffic, string? referrer, string? channel)
    {
        source = Value(traffic.Source);
        medium = Value(traffic.Medium);
        campaign = Value(traffic.Campaign);
        content = Value(traffic.Content);
        term = Value(traffic.Term);
        this.referrer = Value(referrer);
        this.channel = Value(channel);
    }

    public string this[ChannelField field] => field switch
    {
        ChannelField.Source => source,
        ChannelField.Medium => medium,
        ChannelField.Campaign => campaign,
        ChannelField.Content => content,
        ChannelField.Term => term,
        ChannelField.Referrer => referrer,
        _ => channel,
    };

    private static string Value(string? text) =>
        string.IsNullOrWhiteSpace(text) ? TrafficSource.NotSet : text.Trim();
}
