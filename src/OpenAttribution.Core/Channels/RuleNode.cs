namespace OpenAttribution.Core.Channels;

/// <summary>
/// A format-neutral tree of a rule file (YAML and JSON both read into it), so that one validator
/// serves both formats. <see cref="Line"/> is 1-based, 0 when the format does not tell.
/// </summary>
internal abstract class RuleNode(int line)
{
    public int Line { get; } = line;

    /// <summary>A short description of the node's kind, for error messages.</summary>
    public abstract string Kind { get; }
}

internal sealed class MapNode(int line, IReadOnlyList<KeyValuePair<string, RuleNode>> entries) : RuleNode(line)
{
    public IReadOnlyList<KeyValuePair<string, RuleNode>> Entries { get; } = entries;

    public override string Kind => "a mapping";
}

internal sealed class ListNode(int line, IReadOnlyList<RuleNode> items) : RuleNode(line)
{
    public IReadOnlyList<RuleNode> Items { get; } = items;

    public override string Kind => "a list";
}

/// <summary>A scalar; <see cref="Value"/> is <see langword="null"/> for YAML/JSON null.</summary>
internal sealed class ScalarNode(int line, string? value) : RuleNode(line)
{
    public string? Value { get; } = value;

    public override string Kind => Value is null ? "null" : "a text value";
}
