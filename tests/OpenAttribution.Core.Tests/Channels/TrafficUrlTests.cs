using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Tests.Channels;

public class TrafficUrlTests
{
    public static TheoryData<string> Urls => new()
    {
        "https://shop.example/a/b?utm_source=news&utm_medium=email",
        "https://www.shop.example:8443/x#frag?utm_source=a",
        "https://user@shop.example/p?gclid=abc",
        "http://other.example/path/only",
        "shop.example/no-scheme?utm_medium=cpc",
        "//shop.example/protocol-relative?fbclid=1",
        "weird?x://shop.example/a",
        "https://[::1]:80/v6?msclkid=2",
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public void HostAndQueryResolveLikeTheWholeUrl(string url)
    {
        TrafficUrl.Split(url, out var head, out var query);
        var reduced = string.Concat(head, query);
        foreach (var referrer in new[] { null, "https://shop.example/", "https://www.google.com/", "https://other.example/a" })
        {
            Assert.Equal(
                TrafficSourceResolver.Resolve(null, null, null, null, null, referrer, url),
                TrafficSourceResolver.Resolve(null, null, null, null, null, referrer, reduced));
        }
    }

    [Fact]
    public void ThePathIsLeftOutAndTheQueryKept()
    {
        TrafficUrl.Split("https://shop.example/a/b?utm_source=x", out var head, out var query);
        Assert.Equal("https://shop.example", head.ToString());
        Assert.Equal("?utm_source=x", query.ToString());
    }
}
