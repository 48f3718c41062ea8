using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Core.Tests.Events;

/// <summary>
/// The cache of resolved traffic sources keys a touch by its fields with only the query parameters
/// the resolver reads (UTM values, click ids by presence). Whatever the touches, and in whatever order
/// they come, each resolves as the resolver alone resolves it.
/// </summary>
public class TrafficSourceCacheTests
{
    private static readonly string[] Queries =
    [
        "", "?", "?utm_source=news&utm_medium=email", "?UTM_SOURCE=News&utm_medium=Email&utm_campaign=spring", "? utm_source =x&utm_medium=cpc",
        "?utm_source=&utm_medium=", "?utm_source=%20&utm_medium=cpc", "?utm_source=a+b&utm_medium=cpc", "?gclid=abc", "?gclid=def", "?GCLID=1",
        "?gclid=", "?gclid=%20", "?gclid=+", "?gclid= ", "?gclid=\u2003", "?msclkid=9", "?dclid=7", "?fbclid=5", "?fbclid=5&utm_source=fb",
        "?gbraid=1", "?wbraid=2", "?x=1&y=2", "?x=1#utm_source=hidden", "#?utm_source=no", "?utm_term=shoes&utm_content=a",
        "?utm_source=one&utm_source=two", "?utm_source=&utm_source=two&utm_medium=m", "?gclid&gclid=1", "?a=b&fbclid=",
    ];

    private static readonly string[] Bases =
        ["https://shop.example.com/", "https://shop.example.com/p/1", "http://www.google.com/search", "shop.example.com/x", "https://m.facebook.com", "a?b://c/", ""];

    private static readonly string?[] Referrers = [null, "https://www.google.com/", "https://shop.example.com/", "https://news.example.org/a", "android-app://com.slack"];

    private static readonly string?[] Sources = [null, "google", "bing", "Newsletter", " "];

    private static readonly string?[] Mediums = [null, "cpc", "email", "organic"];

    private static readonly string?[] Channels = [null, "Email", "Partners"];

    [Property(MaxTest = 200)]
    public Property EveryTouchResolvesAsTheResolverAlone() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var names = new Dimensions();
            var cache = new TrafficSourceCache(ChannelGrouping.Default, names);
            for (var i = 0; i < 200; i++)
            {
                var baseUrl = Bases[random.Next(Bases.Length)];
                var url = baseUrl.Length == 0 && random.Next(2) == 0 ? null : baseUrl + Queries[random.Next(Queries.Length)];
                var channel = Channels[random.Next(Channels.Length)];
                var source = Sources[random.Next(Sources.Length)];
                var medium = Mediums[random.Next(Mediums.Length)];
                var campaign = random.Next(3) == 0 ? "spring" : null;
                var referrer = Referrers[random.Next(Referrers.Length)];
                var row = new EventRow
                {
                    Line = i,
                    TimestampTicks = 0,
                    Type = EventType.Touch,
                    Value = 0,
                    Channel = channel,
                    Source = source,
                    Medium = medium,
                    Campaign = campaign,
                    Referrer = referrer,
                    Url = url,
                };
                var (c, s, m, k) = cache.Resolve(row);

                var alone = new Dimensions();
                var (c2, s2, m2, k2) = new TouchSourceResolver(ChannelGrouping.Default, alone).Resolve(
                    Blank(channel), Blank(source), Blank(medium), campaign, null, null, Blank(referrer), Blank(url));
                var touch = $"channel={channel} source={source} medium={medium} referrer={referrer} url={url}";
                Assert.True(names.Channels[c] == alone.Channels[c2], $"{touch}: channel {names.Channels[c]} against {alone.Channels[c2]}");
                Assert.True(names.Sources[s] == alone.Sources[s2], $"{touch}: source {names.Sources[s]} against {alone.Sources[s2]}");
                Assert.True(names.Mediums[m] == alone.Mediums[m2], $"{touch}: medium");
                Assert.True(names.Campaigns[k] == alone.Campaigns[k2], $"{touch}: campaign");
            }
        });

    [Fact]
    public void ClickIdsShareOneResolutionWhateverTheirValue()
    {
        var names = new Dimensions();
        var cache = new TrafficSourceCache(ChannelGrouping.Default, names);
        var first = cache.Resolve(Touch("https://shop.example.com/?gclid=abc"));
        var second = cache.Resolve(Touch("https://shop.example.com/?gclid=xyz"));
        var blank = cache.Resolve(Touch("https://shop.example.com/?gclid=%20"));

        Assert.Equal(first, second);
        Assert.Equal("Paid Search", names.Channels[first.Channel]);
        Assert.Equal("Direct", names.Channels[blank.Channel]);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static EventRow Touch(string url) => new() { Line = 1, TimestampTicks = 0, Type = EventType.Touch, Value = 0, Url = url };
}
