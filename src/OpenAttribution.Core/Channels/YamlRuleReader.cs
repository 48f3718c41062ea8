using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OpenAttribution.Core.Channels;

/// <summary>Reads YAML into a <see cref="RuleNode"/> tree.</summary>
internal static class YamlRuleReader
{
    /// <summary>The root node, or throws <see cref="ChannelRulesException"/> for a YAML syntax error.</summary>
    public static RuleNode? Read(TextReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            string reason = (ex.InnerException?.Message ?? ex.Message).Trim();
            throw new ChannelRulesException([$"line {ex.Start.Line}, column {ex.Start.Column}: invalid YAML: {reason}"]);
        }

        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static RuleNode Convert(YamlNode node)
    {
        int line = (int)Math.Min(node.Start.Line, int.MaxValue);
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<string, RuleNode>>(map.Children.Count);
                foreach (KeyValuePair<YamlNode, YamlNode> pair in map.Children)
                {
                    string key = pair.Key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : pair.Key.ToString();
                    entries.Add(new(key, Convert(pair.Value)));
                }

                return new MapNode(line, entries);

            case YamlSequenceNode sequence:
                return new ListNode(line, sequence.Children.Select(Convert).ToList());

            case YamlScalarNode scalar:
                bool isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                    && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ScalarNode(line, isNull ? null : scalar.Value);

            default:
                return new ScalarNode(line, null);
        }
    }
}
