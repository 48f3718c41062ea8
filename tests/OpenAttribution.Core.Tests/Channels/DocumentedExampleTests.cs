using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Tests.Channels;

/// <summary>The complete example of docs/channel-rules.md (kept in sync by hand) does what the doc says.</summary>
public sealed class DocumentedExampleTests
{
    private const string Yaml = """
            # Our own channels first, then GA4's default channel group.
            extends: default

            categories:
              search: [kagi.com, perplexity.ai]          # count these as search engines everywhere
              partners: [partner-a.com, partner-b.com, reseller-c]
              podcasts: [podcasts.apple.com, overcast.fm, pocketcasts.com, spotify]

            rules:
              - channel: Partners
                any:
                  - { field: source, category: partners }
                  - { field: referrer, contains: partners.example.com }

              - channel: Brand Search
                all:
                  - { field: source, category: search }
                  - { field: medium, regex: '^(.*cp.*|ppc|paid.*)$' }
                  - { field: campaign, prefix: [brand, marque] }

              - channel: Podcasts
                any:
                  - { field: source, category: podcasts }
                  - { field: medium, equals: podcast }

              - channel: Internal
                all:
                  - { field: medium, equals: internal }
                  - not: { field: campaign, equals: '(not set)' }

              - channel: Paid Social
                field: channel                       # senders that already label their touches
                in: [paid_social, paidsocial, social-paid]
            """;

    private const string Json = """
            {
              "extends": "default",
              "categories": {
                "search": ["kagi.com", "perplexity.ai"],
                "partners": ["partner-a.com", "partner-b.com", "reseller-c"],
                "podcasts": ["podcasts.apple.com", "overcast.fm", "pocketcasts.com", "spotify"]
              },
              "rules": [
                { "channel": "Partners", "any": [
                    { "field": "source", "category": "partners" },
                    { "field": "referrer", "contains": "partners.example.com" } ] },
                { "channel": "Brand Search", "all": [
                    { "field": "source", "category": "search" },
                    { "field": "medium", "regex": "^(.*cp.*|ppc|paid.*)$" },
                    { "field": "campaign", "prefix": ["brand", "marque"] } ] },
                { "channel": "Podcasts", "any": [
                    { "field": "source", "category": "podcasts" },
                    { "field": "medium", "equals": "podcast" } ] },
                { "channel": "Internal", "all": [
                    { "field": "medium", "equals": "internal" },
                    { "not": { "field": "campaign", "equals": "(not set)" } } ] },
                { "channel": "Paid Social", "field": "channel", "in": ["paid_social", "paidsocial", "social-paid"] }
              ]
            }
            """;

    public static TheoryData<string, string> Files => new() { { Yaml, "channels.yaml" }, { Json, "channels.json" } };

    [Theory]
    [MemberData(nameof(Files))]
    public void BehavesAsDocumented(string text, string fileName)
    {
        ChannelGrouping g = ChannelGrouping.Parse(text, fileName);

        Assert.Equal("Partners", Classify(g, "partner-a.com", "referral"));
        Assert.Equal("Partners", Classify(g, null, null, referrer: "https://partners.example.com/x"));
        Assert.Equal("Brand Search", Classify(g, "google", "cpc", "brand_exact"));
        Assert.Equal("Paid Search", Classify(g, "google", "cpc", "generic"));
        Assert.Equal("Organic Search", Classify(g, null, null, referrer: "https://kagi.com/search?q=x"));
        Assert.Equal("Podcasts", Classify(g, "spotify", "audio"));
        Assert.Equal("Internal", Classify(g, "app", "internal", "onboarding"));
        Assert.Equal("Unassigned", Classify(g, "app", "internal"));
        Assert.Equal("Direct", Classify(g, null, null));
        var tagged = new TrafficSource("x", "y", null, null, null);
        Assert.Equal("Paid Social", g.Classify(in tagged, null, "PaidSocial"));
        Assert.Equal(["Partners", "Brand Search", "Podcasts", "Internal", "Paid Social", "Direct"], g.ChannelNames.Take(6));
    }

    private static string Classify(ChannelGrouping g, string? source, string? medium, string? campaign = null, string? referrer = null)
    {
        TrafficSource s = TrafficSourceResolver.Resolve(source, medium, campaign, null, null, referrer, null);
        return g.Classify(in s, referrer);
    }
}
