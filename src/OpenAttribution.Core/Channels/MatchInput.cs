namespace OpenAttribution.Core.Channels;

/// <summary>The field values one classification tests; a missing value reads as <c>(not set)</c>.</summary>
/// <summary>The field values a classification depends on (the memo key).</summary>
internal readonly record struct MatchKey(
    string? Source, string? Medium, string? Campaign, string? Content, string? Term, string? Referrer, string? Channel);

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

    /// <summary>The values of the fields in <paramref name="mask"/> (others null): what a classification depends on.</summary>
    public MatchKey Key(int mask) => new(
        Pick(mask, ChannelField.Source, source),
        Pick(mask, ChannelField.Medium, medium),
        Pick(mask, ChannelField.Campaign, campaign),
        Pick(mask, ChannelField.Content, content),
        Pick(mask, ChannelField.Term, term),
        Pick(mask, ChannelField.Referrer, referrer),
        Pick(mask, ChannelField.Channel, channel));

    private static string? Pick(int mask, ChannelField field, string value) => (mask & (1 << (int)field)) != 0 ? value : null;

    private static string Value(string? text) =>
        string.IsNullOrWhiteSpace(text) ? TrafficSource.NotSet : text.Trim();
}
