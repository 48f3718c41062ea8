using System.Text.Json;

namespace OpenAttribution.Core.Channels;

/// <summary>Reads JSON (comments and trailing commas allowed) into a <see cref="RuleNode"/> tree.</summary>
internal static class JsonRuleReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The root node, or throws <see cref="ChannelRulesException"/> for a JSON syntax error.</summary>
    public static RuleNode? Read(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text, Options);
            return Convert(document.RootElement);
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is long line ? $"line {line + 1}, column {ex.BytePositionInLine + 1}: " : "";
            string reason = ex.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                reason = reason[..cut].TrimEnd('.', ' ');
            }

            throw new ChannelRulesException([$"{where}invalid JSON: {reason}"]);
        }
    }

    private static RuleNode Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new MapNode(0, element.EnumerateObject().Select(p => new KeyValuePair<string, RuleNode>(p.Name, Convert(p.Value))).ToList()),
        JsonValueKind.Array => new ListNode(0, element.EnumerateArray().Select(Convert).ToList()),
        JsonValueKind.String => new ScalarNode(0, element.GetString()),
        JsonValueKind.Null or JsonValueKind.Undefined => new ScalarNode(0, null),
        _ => new ScalarNode(0, element.GetRawText()),
    };
}
