using System.Collections.Concurrent;

namespace OpenAttribution.Core.Channels;

/// <summary>
/// An ordered list of channel rules; the first rule whose condition holds gives a touch its channel,
/// and a touch no rule matches gets the fallback channel (<c>Unassigned</c> unless the file says
/// otherwise). Immutable and thread-safe; classification is deterministic.
/// </summary>
public sealed class ChannelGrouping
{
    /// <summary>The channel of a touch that no rule matches (unless a rule file sets <c>fallback</c>).</summary>
    public const string UnassignedChannel = "Unassigned";

    private static readonly Lazy<ChannelGrouping> LazyDefault = new(ChannelRulesCompiler.BuildDefault);

    /// <summary>Distinct field combinations remembered; past this, results are computed but not stored.</summary>
    private const int MemoCapacity = 100_000;

    private readonly ChannelRule[] rules;
    private readonly int fieldMask;
    private readonly ConcurrentDictionary<MatchKey, string> memo = new();

    internal ChannelGrouping(IReadOnlyList<ChannelRule> rules, string fallback)
    {
        this.rules = [.. rules];
        Fallback = fallback;
        foreach (ChannelRule rule in this.rules)
        {
            fieldMask |= rule.Condition.FieldMask;
        }

        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ChannelRule rule in this.rules)
        {
            if (seen.Add(rule.Channel))
            {
                names.Add(rule.Channel);
            }
        }

        if (seen.Add(fallback))
        {
            names.Add(fallback);
        }

        ChannelNames = names;
    }

    /// <summary>GA4's default channel group, in GA4's evaluation order.</summary>
    public static ChannelGrouping Default => LazyDefault.Value;

    /// <summary>The default rules as a YAML rule file (the format of docs/channel-rules.md).</summary>
    public static string DefaultRulesYaml => DefaultChannelRules.Yaml;

    /// <summary>Every channel this grouping can return: the rules' channels in rule order, then the fallback.</summary>
    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>The channel of a touch no rule matches.</summary>
    public string Fallback { get; }

    internal IReadOnlyList<ChannelRule> Rules => rules;

    /// <summary>
    /// The channel of a touch. When both source and medium are missing, they are first derived from
    /// <paramref name="referrer"/> (or set to <c>(direct) / (none)</c>) as
    /// <see cref="TrafficSourceResolver.Resolve"/> does.
    /// </summary>
    public string Classify(in TrafficSource s, string? referrer = null) => Classify(in s, referrer, channel: null);

    /// <summary>
    /// As <see cref="Classify(in TrafficSource, string?)"/>, with the channel the event already carries
    /// (rules can test it as the field <c>channel</c>, e.g. to rename a sender's channel names).
    /// </summary>
    public string Classify(in TrafficSource s, string? referrer, string? channel)
    {
        TrafficSource traffic = string.IsNullOrWhiteSpace(s.Source) && string.IsNullOrWhiteSpace(s.Medium)
            ? TrafficSourceResolver.Resolve(null, null, s.Campaign, s.Content, s.Term, referrer, null)
            : s;
        var input = new MatchInput(in traffic, referrer, channel);
        MatchKey key = input.Key(fieldMask);
        if (memo.TryGetValue(key, out string? known))
        {
            return known;
        }

        string result = Evaluate(in input);
        if (memo.Count < MemoCapacity)
        {
            memo.TryAdd(key, result);
        }

        return result;
    }

    private string Evaluate(in MatchInput input)
    {
        foreach (ChannelRule rule in rules)
        {
            if (rule.Condition.IsMatch(in input))
            {
                return rule.Channel;
            }
        }

        return Fallback;
    }

    /// <summary>
    /// Reads a rule file. <paramref name="formatHint"/> is <c>json</c>, <c>yaml</c> or <c>yml</c>, with or
    /// without a leading dot, or a file name whose extension is one of those.
    /// </summary>
    /// <exception cref="ChannelRulesException">The file is invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The format hint names no supported format.</exception>
    public static ChannelGrouping Parse(string text, string formatHint)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsJson(formatHint)
            ? ChannelRulesCompiler.Build(JsonRuleReader.Read(text))
            : ChannelRulesCompiler.Build(YamlRuleReader.Read(new StringReader(text)));
    }

    /// <inheritdoc cref="Parse(string, string)"/>
    public static ChannelGrouping Parse(TextReader reader, string formatHint)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return IsJson(formatHint)
            ? ChannelRulesCompiler.Build(JsonRuleReader.Read(reader.ReadToEnd()))
            : ChannelRulesCompiler.Build(YamlRuleReader.Read(reader));
    }

    private static bool IsJson(string formatHint)
    {
        ArgumentNullException.ThrowIfNull(formatHint);
        string hint = formatHint.Trim();
        int dot = hint.LastIndexOf('.');
        if (dot >= 0)
        {
            hint = hint[(dot + 1)..];
        }

        if (hint.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (hint.Equals("yaml", StringComparison.OrdinalIgnoreCase) || hint.Equals("yml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw new ArgumentException(
            $"Unknown channel rule format \"{formatHint}\"; expected json, yaml or yml (or a file name with one of those extensions).",
            nameof(formatHint));
    }
}
