namespace OpenAttribution.Core.Channels;

/// <summary>
/// GA4's default channel group (its definitions for manually tagged traffic), in GA4's evaluation
/// order, written in the same rule-file format users write (see docs/channel-rules.md).
/// </summary>
internal static class DefaultChannelRules
{
    /// <summary>The rule file text.</summary>
    public const string Yaml = """
        # GA4 default channel group, in GA4's evaluation order; the first matching rule wins.
        # Comparisons are case-insensitive; a missing field reads as "(not set)", as in GA4.
        # The categories search, social, shopping and video are the built-in site lists.
        rules:
          - channel: Direct
            all:
              - { field: source, equals: '(direct)' }
              - { field: medium, in: ['(not set)', '(none)'] }

          - channel: Cross-network
            field: campaign
            contains: cross-network

          - channel: Paid Shopping
            all:
              - any:
                  - { field: source, category: shopping }
                  - { field: campaign, regex: '^(.*(([^a-df-z]|^)shop|shopping).*)$' }
              - { field: medium, regex: '^(.*cp.*|ppc|retargeting|paid.*)$' }

          - channel: Paid Search
            all:
              - { field: source, category: search }
              - { field: medium, regex: '^(.*cp.*|ppc|retargeting|paid.*)$' }

          - channel: Paid Social
            all:
              - { field: source, category: social }
              - { field: medium, regex: '^(.*cp.*|ppc|retargeting|paid.*)$' }

          - channel: Paid Video
            all:
              - { field: source, category: video }
              - { field: medium, regex: '^(.*cp.*|ppc|retargeting|paid.*)$' }

          - channel: Display
            field: medium
            in: [display, banner, expandable, interstitial, cpm]

          - channel: Paid Other
            field: medium
            regex: '^(.*cp.*|ppc|retargeting|paid.*)$'

          - channel: Organic Shopping
            any:
              - { field: source, category: shopping }
              - { field: campaign, regex: '^(.*(([^a-df-z]|^)shop|shopping).*)$' }

          - channel: Organic Social
            any:
              - { field: source, category: social }
              - { field: medium, in: [social, social-network, social-media, sm, 'social network', 'social media'] }

          - channel: Organic Video
            any:
              - { field: source, category: video }
              - { field: medium, regex: '^(.*video.*)$' }

          - channel: Organic Search
            any:
              - { field: source, category: search }
              - { field: medium, equals: organic }

          - channel: Referral
            field: medium
            in: [referral, app, link]

          - channel: Email
            any:
              - { field: source, in: [email, e-mail, e_mail, 'e mail'] }
              - { field: medium, in: [email, e-mail, e_mail, 'e mail'] }

          - channel: Affiliates
            field: medium
            equals: affiliate

          - channel: Audio
            field: medium
            equals: audio

          - channel: SMS
            any:
              - { field: source, equals: sms }
              - { field: medium, equals: sms }

          - channel: Mobile Push Notifications
            any:
              - { field: medium, suffix: push }
              - { field: medium, contains: [mobile, notification] }
              - { field: source, equals: firebase }
        """;

    private static readonly Lazy<RuleNode> LazyRoot = new(() =>
        YamlRuleReader.Read(new StringReader(Yaml)) ?? throw new InvalidOperationException("The built-in channel rules are empty."));

    /// <summary>The parsed rule file (parsed once).</summary>
    public static RuleNode Root => LazyRoot.Value;
}
