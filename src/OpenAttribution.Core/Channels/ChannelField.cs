namespace OpenAttribution.Core.Channels;

/// <summary>A touch field a rule condition can test.</summary>
internal enum ChannelField
{
    Source,
    Medium,
    Campaign,
    Content,
    Term,
    Referrer,
    Channel,
}

internal static class ChannelFields
{
    /// <summary>The names used in rule files, in <see cref="ChannelField"/> order.</summary>
    public static readonly string[] Names = ["source", "medium", "campaign", "content", "term", "referrer", "channel"];

    public static bool TryParse(string? name, out ChannelField field)
    {
        int index = name is null ? -1 : Array.FindIndex(Names, n => n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
        field = index < 0 ? default : (ChannelField)index;
        return index >= 0;
    }
}
