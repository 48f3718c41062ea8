using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Tests.Channels;

public sealed class TrafficSourceResolverTests
{
    [Fact]
    public void ExplicitFieldsWinAndAreTrimmed()
    {
        TrafficSource s = TrafficSourceResolver.Resolve(" Newsletter ", "email", "spring", null, "  ", "https://www.google.com/", "https://shop.example/?utm_source=x&utm_medium=y");

        Assert.Equal(new TrafficSource("Newsletter", "email", "spring", null, null), s);
    }

    [Fact]
    public void UtmParametersFillOnlyEmptyFields()
    {
        TrafficSource s = TrafficSourceResolver.Resolve(
            "partner", null, "", null, null, null,
            "https://example.com/landing?utm_source=ignored&utm_medium=paid%20social&utm_campaign=Spring+Sale&utm_content=Banner_A&utm_term=running%2Bshoes#top");

        Assert.Equal("partner", s.Source);
        Assert.Equal("paid social", s.Medium);
        Assert.Equal("Spring Sale", s.Campaign);
        Assert.Equal("Banner_A", s.Content);
        Assert.Equal("running+shoes", s.Term);
    }

    [Fact]
    public void UtmParameterNamesAreCaseInsensitiveAndEmptyValuesSkipped()
    {
        TrafficSource s = TrafficSourceResolver.Resolve(null, null, null, null, null, null, "https://example.com/?UTM_SOURCE=&utm_source=Bing&utm_medium=CPC");

        Assert.Equal("Bing", s.Source);
        Assert.Equal("CPC", s.Medium);
        Assert.Null(s.Campaign);
    }

    [Theory]
    [InlineData("https://example.com/?gclid=abc", "google", "cpc")]
    [InlineData("https://example.com/?gbraid=abc", "google", "cpc")]
    [InlineData("https://example.com/?x=1&wbraid=abc", "google", "cpc")]
    [InlineData("https://example.com/?msclkid=abc", "bing", "cpc")]
    [InlineData("https://example.com/?dclid=abc", "dv360", "cpm")]
    public void AdClickIdsGiveSourceAndMediumWhenBothAreEmpty(string url, string source, string medium)
    {
        TrafficSource s = TrafficSourceResolver.Resolve(null, null, null, null, null, "https://www.google.com/", url);

        Assert.Equal(source, s.Source);
        Assert.Equal(medium, s.Medium);
    }

    [Fact]
    public void ClickIdDoesNotOverrideUtmSource()
    {
        TrafficSource s = TrafficSourceResolver.Resolve(null, null, null, null, null, null, "https://example.com/?gclid=1&utm_source=newsletter&utm_medium=email");

        Assert.Equal(("newsletter", "email"), (s.Source, s.Medium));
    }

    [Fact]
    public void FbclidAloneIsNotPaid()
    {
        TrafficSource withReferrer = TrafficSourceResolver.Resolve(null, null, null, null, null, "https://l.facebook.com/l.php?u=x", "https://example.com/?fbclid=IwAR0");
        TrafficSource withoutReferrer = TrafficSourceResolver.Resolve(null, null, null, null, null, null, "https://example.com/?fbclid=IwAR0");

        Assert.Equal(("l.facebook.com", "referral"), (withReferrer.Source, withReferrer.Medium));
        Assert.Equal(("facebook", "referral"), (withoutReferrer.Source, withoutReferrer.Medium));
    }

    [Theory]
    [InlineData("https://www.google.co.uk/search?q=shoes", "google", "organic")]
    [InlineData("https://www.bing.com/", "bing", "organic")]
    [InlineData("https://duckduckgo.com/", "duckduckgo", "organic")]
    [InlineData("https://search.yahoo.co.jp/search?p=x", "yahoo", "organic")]
    [InlineData("https://yandex.ru/search/?text=x", "yandex", "organic")]
    [InlineData("https://www.ecosia.org/search?q=x", "ecosia", "organic")]
    [InlineData("https://search.brave.com/search?q=x", "brave", "organic")]
    [InlineData("https://WWW.Example-Blog.com:8443/post/1", "example-blog.com", "referral")]
    [InlineData("https://mail.google.com/mail/u/0/", "mail.google.com", "referral")]
    [InlineData("https://google.example.com/page", "google.example.com", "referral")]
    [InlineData("news.ycombinator.com", "news.ycombinator.com", "referral")]
    public void ReferrerGivesSourceAndMedium(string referrer, string source, string medium)
    {
        TrafficSource s = TrafficSourceResolver.Resolve(null, null, null, null, null, referrer, "https://shop.example/");

        Assert.Equal((source, medium), (s.Source, s.Medium));
    }

    [Fact]
    public void NothingAtAllIsDirectAndCampaignStaysNull()
    {
        TrafficSource s = TrafficSourceResolver.Resolve(null, " ", null, null, null, "", "https://shop.example/landing");

        Assert.Equal(TrafficSource.Direct, s);
        Assert.Null(s.Campaign);
    }

    [Fact]
    public void SelfReferralIsIgnored()
    {
        TrafficSource s = TrafficSourceResolver.Resolve(null, null, null, null, null, "https://www.shop.example/cart", "https://shop.example/checkout");

        Assert.Equal(TrafficSource.Direct, s);
    }

    [Fact]
    public void OnlyOneOfSourceAndMediumKeepsTheOtherMissing()
    {
        TrafficSource s = TrafficSourceResolver.Resolve("newsletter", null, null, null, null, "https://www.google.com/", null);

        Assert.Equal("newsletter", s.Source);
        Assert.Null(s.Medium);
    }
}
