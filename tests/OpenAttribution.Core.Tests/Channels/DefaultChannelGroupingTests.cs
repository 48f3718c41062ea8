using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Tests.Channels;

public sealed class DefaultChannelGroupingTests
{
    private static string Classify(string? source, string? medium, string? campaign = null, string? referrer = null, string? url = null)
    {
        TrafficSource s = TrafficSourceResolver.Resolve(source, medium, campaign, null, null, referrer, url);
        return ChannelGrouping.Default.Classify(in s, referrer);
    }

    [Fact]
    public void ChannelNamesAreGa4sInEvaluationOrder()
    {
        Assert.Equal(
            [
                "Direct", "Cross-network", "Paid Shopping", "Paid Search", "Paid Social", "Paid Video", "Display",
                "Paid Other", "Organic Shopping", "Organic Social", "Organic Video", "Organic Search", "Referral",
                "Email", "Affiliates", "Audio", "SMS", "Mobile Push Notifications", "Unassigned",
            ],
            ChannelGrouping.Default.ChannelNames);
    }

    [Theory]
    [InlineData("(direct)", "(none)", null, "Direct")]
    [InlineData("(direct)", null, null, "Direct")]
    [InlineData("google", "cpc", "brand-terms", "Paid Search")]
    [InlineData("Google", "CPC", null, "Paid Search")]
    [InlineData("bing", "ppc", null, "Paid Search")]
    [InlineData("google", "cpc", "Summer Shopping", "Paid Shopping")]
    [InlineData("google", "cpc", "spring_shop", "Paid Shopping")]
    [InlineData("amazon", "paid", null, "Paid Shopping")]
    [InlineData("google", "cpc", "(cross-network)", "Cross-network")]
    [InlineData("facebook", "cpc", null, "Paid Social")]
    [InlineData("m.facebook.com", "paid_social", null, "Paid Social")]
    [InlineData("linkedin", "retargeting", null, "Paid Social")]
    [InlineData("youtube", "cpc", null, "Paid Video")]
    [InlineData("dv360", "cpm", null, "Display")]
    [InlineData("criteo", "display", null, "Display")]
    [InlineData("criteo", "Banner", null, "Display")]
    [InlineData("outbrain", "cpc", null, "Paid Other")]
    [InlineData("ebay", "referral", null, "Organic Shopping")]
    [InlineData("newsletter", "email", "black-friday-shopping", "Organic Shopping")]
    [InlineData("facebook", "referral", null, "Organic Social")]
    [InlineData("l.facebook.com", "referral", null, "Organic Social")]
    [InlineData("t.co", "referral", null, "Organic Social")]
    [InlineData("forum-x", "social", null, "Organic Social")]
    [InlineData("vimeo.com", "referral", null, "Organic Video")]
    [InlineData("some-site", "video", null, "Organic Video")]
    [InlineData("google", "organic", null, "Organic Search")]
    [InlineData("kagi", "referral", null, "Organic Search")]
    [InlineData("unknown-engine", "organic", null, "Organic Search")]
    [InlineData("example-blog.com", "referral", null, "Referral")]
    [InlineData("partner-app", "app", null, "Referral")]
    [InlineData("newsletter", "email", null, "Email")]
    [InlineData("email", "foo", null, "Email")]
    [InlineData("newsletter", "e-mail", null, "Email")]
    [InlineData("awin", "affiliate", null, "Affiliates")]
    [InlineData("spotify", "audio", null, "Audio")]
    [InlineData("twilio", "sms", null, "SMS")]
    [InlineData("sms", "text", null, "SMS")]
    [InlineData("braze", "web-push", null, "Mobile Push Notifications")]
    [InlineData("app", "mobile", null, "Mobile Push Notifications")]
    [InlineData("onesignal", "in-app-notification", null, "Mobile Push Notifications")]
    [InlineData("firebase", "(not set)", null, "Mobile Push Notifications")]
    [InlineData("newsletter", "foo", null, "Unassigned")]
    [InlineData("newsletter", null, null, "Unassigned")]
    public void ClassifiesEachGa4Channel(string? source, string? medium, string? campaign, string expected)
    {
        Assert.Equal(expected, Classify(source, medium, campaign));
    }

    [Fact]
    public void NoSourceMediumOrReferrerIsDirect()
    {
        Assert.Equal("Direct", Classify(null, null));
        Assert.Equal("Direct", ChannelGrouping.Default.Classify(default(TrafficSource)));
    }

    [Fact]
    public void SearchEngineReferrerIsOrganicSearch()
    {
        Assert.Equal("Organic Search", Classify(null, null, referrer: "https://www.google.co.uk/"));
    }

    [Fact]
    public void BlogReferrerIsReferral()
    {
        Assert.Equal("Referral", Classify(null, null, referrer: "https://some-blog.example.org/2026/03/post"));
    }

    [Fact]
    public void SocialReferrerIsOrganicSocial()
    {
        Assert.Equal("Organic Social", Classify(null, null, referrer: "https://t.co/abc"));
    }

    [Fact]
    public void ClassifyDerivesSourceFromReferrerWhenSourceAndMediumAreMissing()
    {
        var unresolved = new TrafficSource(null, null, "spring", null, null);

        Assert.Equal("Organic Search", ChannelGrouping.Default.Classify(in unresolved, "https://www.bing.com/"));
    }

    [Fact]
    public void GclidIsPaidSearch()
    {
        Assert.Equal("Paid Search", Classify(null, null, url: "https://shop.example/?gclid=Cj0KCQ"));
    }

    [Fact]
    public void GclidWithShoppingCampaignIsPaidShopping()
    {
        Assert.Equal("Paid Shopping", Classify(null, null, url: "https://shop.example/?gclid=Cj0&utm_campaign=pla_shopping"));
    }

    [Fact]
    public void MsclkidIsPaidSearchAndDclidIsDisplay()
    {
        Assert.Equal("Paid Search", Classify(null, null, url: "https://shop.example/?msclkid=1"));
        Assert.Equal("Display", Classify(null, null, url: "https://shop.example/?dclid=1"));
    }

    [Fact]
    public void FbclidIsOrganicSocialNotPaid()
    {
        Assert.Equal("Organic Social", Classify(null, null, url: "https://shop.example/?fbclid=IwAR"));
    }

    [Fact]
    public void UtmInUrlIsUsedWhenFieldsAreEmpty()
    {
        Assert.Equal("Paid Social", Classify(null, null, url: "https://shop.example/?utm_source=instagram&utm_medium=paid"));
        Assert.Equal("Email", Classify(null, "email", url: "https://shop.example/?utm_source=newsletter&utm_medium=paid"));

        // GA4 evaluates Organic Social before Email: a social source wins over the email medium.
        Assert.Equal("Organic Social", Classify(null, "email", url: "https://shop.example/?utm_source=instagram&utm_medium=paid"));
    }

    [Fact]
    public void WorkshopCampaignIsNotShopping()
    {
        Assert.Equal("Paid Other", Classify("meetup-ads", "cpc", "workshop-2026"));
        Assert.Equal("Paid Shopping", Classify("meetup-ads", "cpc", "eshop"));
    }

    [Fact]
    public void ClassificationIsDeterministic()
    {
        var s = new TrafficSource("facebook", "cpc", null, null, null);
        string first = ChannelGrouping.Default.Classify(in s);

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(first, ChannelGrouping.Default.Classify(in s));
        }
    }
}
