namespace OpenAttribution.Core.Events;

/// <summary>The fields of an event (spec section 1), in a fixed order; names are lower-case.</summary>
public enum EventField
{
    EventId,
    Timestamp,
    UserId,
    AnonymousId,
    Type,
    Channel,
    Source,
    Medium,
    Campaign,
    Content,
    Term,
    Referrer,
    Url,
    Conversion,
    Value,
}

public static class EventFields
{
    public const int Count = 15;

    private static readonly string[] Names =
    [
        "event_id", "timestamp", "user_id", "anonymous_id", "type", "channel", "source", "medium",
        "campaign", "content", "term", "referrer", "url", "conversion", "value",
    ];

    public static string Name(this EventField field) => Names[(int)field];

    public static IReadOnlyList<string> AllNames => Names;

    /// <summary>The field for a column name (case-insensitive), or null for an unknown column.</summary>
    public static EventField? FromName(ReadOnlySpan<char> name)
    {
        var trimmed = name.Trim();
        for (var i = 0; i < Names.Length; i++)
        {
            if (trimmed.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                return (EventField)i;
            }
        }

        return null;
    }
}
