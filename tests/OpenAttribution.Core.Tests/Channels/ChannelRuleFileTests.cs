using OpenAttribution.Core.Channels;

namespace OpenAttribution.Core.Tests.Channels;

public sealed class ChannelRuleFileTests
{
    private const string PartnersYaml = """
        extends: default
        rules:
          - channel: Partners
            description: our resellers
            any:
              - { field: source, in: [partner-a, partner-b] }
              - { field: referrer, contains: partners.example.com }
          - channel: Brand Search
            all:
              - { field: source, category: search }
              - { field: medium, regex: '^(cpc|ppc)$' }
              - { field: campaign, prefix: brand }
        """;

    private static string Classify(ChannelGrouping grouping, string? source, string? medium, string? campaign = null, string? referrer = null)
    {
        TrafficSource s = TrafficSourceResolver.Resolve(source, medium, campaign, null, null, referrer, null);
        return grouping.Classify(in s, referrer);
    }

    [Fact]
    public void YamlExtendsDefaultEvaluatesUserRulesFirstThenGa4s()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse(PartnersYaml, "yaml");

        Assert.Equal("Partners", Classify(grouping, "Partner-A", "cpc"));
        Assert.Equal("Partners", Classify(grouping, null, null, referrer: "https://partners.example.com/deals"));
        Assert.Equal("Brand Search", Classify(grouping, "google", "cpc", "brand_exact"));
        Assert.Equal("Paid Search", Classify(grouping, "google", "cpc", "generic"));
        Assert.Equal("Direct", Classify(grouping, null, null));
        Assert.Equal("Unassigned", Classify(grouping, "x-unknown", "foo"));
        Assert.Equal(["Partners", "Brand Search", "Direct"], grouping.ChannelNames.Take(3));
        Assert.Equal("Unassigned", grouping.ChannelNames[^1]);
        Assert.Equal(21, grouping.ChannelNames.Count);
    }

    [Fact]
    public void JsonWithoutExtendsReplacesTheDefaults()
    {
        const string json = """
            {
              // comments and trailing commas are fine
              "fallback": "Other",
              "rules": [
                { "channel": "Paid", "field": "medium", "in": ["cpc", "ppc", "paid"] },
                { "channel": "Not paid", "not": { "field": "medium", "regex": "^(cpc|ppc|paid)$" } },
              ]
            }
            """;

        ChannelGrouping grouping = ChannelGrouping.Parse(json, ".json");

        Assert.Equal(["Paid", "Not paid", "Other"], grouping.ChannelNames);
        Assert.Equal("Paid", Classify(grouping, "google", "CPC"));
        Assert.Equal("Not paid", Classify(grouping, "google", "organic"));
    }

    [Fact]
    public void FallbackIsUsedWhenNothingMatches()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse("fallback: Other\nrules:\n  - { channel: Mail, field: medium, equals: email }\n", "rules.yml");

        Assert.Equal("Other", Classify(grouping, "google", "cpc"));
    }

    [Fact]
    public void YamlAndJsonOfTheSameRulesAgree()
    {
        const string yaml = """
            rules:
              - channel: Video Partners
                all:
                  - { field: source, category: [video, partners] }
                  - not: { field: campaign, suffix: [-test, _test] }
              - channel: Everything Else
                all: []
            categories:
              partners: [partner-tv.example, streamco]
            """;
        const string json = """
            {"categories": {"partners": ["partner-tv.example", "streamco"]},
             "rules": [
               {"channel": "Video Partners", "all": [
                  {"field": "source", "category": ["video", "partners"]},
                  {"not": {"field": "campaign", "suffix": ["-test", "_test"]}}]},
               {"channel": "Everything Else", "all": []}]}
            """;

        ChannelGrouping fromYaml = ChannelGrouping.Parse(yaml, "yaml");
        ChannelGrouping fromJson = ChannelGrouping.Parse(new StringReader(json), "JSON");

        foreach (ChannelGrouping g in new[] { fromYaml, fromJson })
        {
            Assert.Equal("Video Partners", Classify(g, "www.youtube.com", "referral"));
            Assert.Equal("Video Partners", Classify(g, "cdn.partner-tv.example", "cpm"));
            Assert.Equal("Video Partners", Classify(g, "StreamCo", "cpm", "launch"));
            Assert.Equal("Everything Else", Classify(g, "streamco", "cpm", "launch_TEST"));
            Assert.Equal("Everything Else", Classify(g, null, null));
        }
    }

    [Fact]
    public void CategoriesExtendBuiltInListsForTheDefaultRules()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse("extends: default\ncategories:\n  search: [my-engine.example]\n", "yaml");

        Assert.Equal("Organic Search", Classify(grouping, null, null, referrer: "https://my-engine.example/?q=x"));
        Assert.Equal("Paid Search", Classify(grouping, "my-engine.example", "cpc"));
        Assert.Equal("Organic Search", Classify(grouping, "google", "organic"));
        Assert.Equal("Referral", Classify(ChannelGrouping.Default, null, null, referrer: "https://my-engine.example/?q=x"));
    }

    [Fact]
    public void ChannelFieldCanBeTested()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse("rules:\n  - { channel: Paid Social, field: channel, in: [paid_social, paidsocial] }\n", "yaml");
        var s = new TrafficSource("x", "y", null, null, null);

        Assert.Equal("Paid Social", grouping.Classify(in s, null, "PAID_SOCIAL"));
        Assert.Equal("Unassigned", grouping.Classify(in s, null, null));
    }

    [Fact]
    public void MissingFieldReadsAsNotSet()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse("rules:\n  - { channel: No campaign, field: campaign, equals: '(not set)' }\n", "yaml");

        Assert.Equal("No campaign", Classify(grouping, "a", "b"));
        Assert.Equal("Unassigned", Classify(grouping, "a", "b", "spring"));
    }

    [Fact]
    public void DefaultRulesTextParsesToTheSameChannels()
    {
        ChannelGrouping reparsed = ChannelGrouping.Parse(ChannelGrouping.DefaultRulesYaml, "yaml");

        Assert.Equal(ChannelGrouping.Default.ChannelNames, reparsed.ChannelNames);
    }

    [Fact]
    public void AllProblemsAreListedWithRuleFieldAndValue()
    {
        const string yaml = """
            rules:
              - channel: Partners
                any:
                  - { field: sorce, equals: partner-a }
                  - { field: medium, matches: cpc }
              - channel: Paid Search
                all:
                  - { field: source, category: serch }
                  - { field: medium, regex: '^(cpc|ppc$' }
              - any:
                  - { field: medium, equals: x }
              - channel: Empty
            """;

        var ex = Assert.Throws<ChannelRulesException>(() => ChannelGrouping.Parse(yaml, "yaml"));

        Assert.True(ex.Problems.Count == 6, string.Join("\n", ex.Problems));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 1 (channel \"Partners\"), any #1", StringComparison.Ordinal) && p.Contains("unknown field \"sorce\"", StringComparison.Ordinal) && p.Contains("line 4", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 1 (channel \"Partners\"), any #2", StringComparison.Ordinal) && p.Contains("unknown operator \"matches\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 2 (channel \"Paid Search\"), all #1", StringComparison.Ordinal) && p.Contains("source category: unknown category \"serch\"", StringComparison.Ordinal) && p.Contains("search, shopping, social, video", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 2 (channel \"Paid Search\"), all #2", StringComparison.Ordinal) && p.Contains("medium regex: bad regex \"^(cpc|ppc$\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 3", StringComparison.Ordinal) && p.Contains("missing \"channel\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 4 (channel \"Empty\")", StringComparison.Ordinal) && p.Contains("no condition", StringComparison.Ordinal));
        Assert.Contains("6 problems", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(ex);
    }

    [Fact]
    public void JsonProblemsAreListedToo()
    {
        const string json = """
            {"extends": "ga4", "colour": "red", "rules": [
              {"channel": "A", "field": "source", "equals": ["x", "y"]},
              {"channel": "", "field": "medium", "contains": ""},
              {"channel": "B", "not": [{"field": "medium", "equals": "x"}]},
              {"channel": "C", "field": "term", "prefix": "a", "suffix": "b"},
              {"channel": "D", "any": [], "field": "source"}
            ]}
            """;

        var ex = Assert.Throws<ChannelRulesException>(() => ChannelGrouping.Parse(json, "json"));

        Assert.Contains(ex.Problems, p => p.Contains("\"extends\": unknown value \"ga4\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("unknown top-level key \"colour\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 1 (channel \"A\")", StringComparison.Ordinal) && p.Contains("source equals: expected one text value", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 2:", StringComparison.Ordinal) && p.Contains("\"channel\" must be a non-empty text value", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 2", StringComparison.Ordinal) && p.Contains("medium contains: the value is empty", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 3 (channel \"B\"), not", StringComparison.Ordinal) && p.Contains("takes one condition", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 4 (channel \"C\")", StringComparison.Ordinal) && p.Contains("several operators (prefix, suffix)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("rule 5 (channel \"D\")", StringComparison.Ordinal) && p.Contains("exactly one of", StringComparison.Ordinal));
        Assert.Equal(8, ex.Problems.Count);
    }

    [Theory]
    [InlineData("rules: [ { channel: A", "yaml", "invalid YAML")]
    [InlineData("{\"rules\": [", "json", "invalid JSON")]
    [InlineData("", "yaml", "empty")]
    [InlineData("just text", "yaml", "expected a mapping")]
    [InlineData("extends: none", "yaml", "\"rules\" is missing")]
    [InlineData("rules: []", "yaml", "\"rules\" is empty")]
    [InlineData("rules:\n  - channel: A\n    field: source\n    in: []\n", "yaml", "source in: the list is empty")]
    [InlineData("rules:\n  - channel: A\n    field: source\n", "yaml", "field \"source\" has no operator")]
    [InlineData("rules:\n  - channel: A\n    regex: x\n", "yaml", "missing \"field\" for operator \"regex\"")]
    [InlineData("rules:\n  - channel: A\n    field: source\n    equals: a\n    field: medium\n", "yaml", "invalid YAML")]
    [InlineData("categories:\n  partners: []\nextends: default\n", "yaml", "category \"partners\": the list is empty")]
    public void SyntaxAndStructureErrorsAreReported(string text, string format, string expected)
    {
        var ex = Assert.Throws<ChannelRulesException>(() => ChannelGrouping.Parse(text, format));

        Assert.Contains(ex.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownFormatHintIsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => ChannelGrouping.Parse("rules: []", "toml"));
    }

    [Fact]
    public void ExtendsDefaultWithOnlyCategoriesIsValid()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse("""{"extends": "default", "categories": {"social": ["circle.example"]}}""", "json");

        Assert.Equal(ChannelGrouping.Default.ChannelNames, grouping.ChannelNames);
        Assert.Equal("Paid Social", Classify(grouping, "circle.example", "cpc"));
    }

    [Fact]
    public void RegexTimeoutFailsLoudlyNamingTheRule()
    {
        ChannelGrouping grouping = ChannelGrouping.Parse("rules:\n  - { channel: Slow, field: campaign, regex: '^(a+)+$' }\n", "yaml");
        var s = new TrafficSource("x", "y", new string('a', 40) + "!", null, null);

        var ex = Assert.Throws<ChannelRulesException>(() => grouping.Classify(in s));

        Assert.Contains("rule 1 (channel \"Slow\")", ex.Message, StringComparison.Ordinal);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YamlAnchorsCanShareConditions()
    {
        const string yaml = """
            rules:
              - channel: Paid Partners
                all:
                  - &paid { field: medium, regex: '^(cpc|ppc)$' }
                  - { field: source, prefix: partner- }
              - channel: Other Paid
                all:
                  - *paid
            """;

        ChannelGrouping grouping = ChannelGrouping.Parse(yaml, "yaml");

        Assert.Equal("Paid Partners", Classify(grouping, "partner-x", "cpc"));
        Assert.Equal("Other Paid", Classify(grouping, "google", "ppc"));
    }
}
