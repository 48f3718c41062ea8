using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores;

/// <summary>How every store writes an event's type: the spec's lower-case names.</summary>
internal static class StoredEventType
{
    public static string Name(EventType type) => type switch
    {
        EventType.Touch => "touch",
        EventType.Conversion => "conversion",
        EventType.Identify => "identify",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
    };

    /// <summary>The type a stored name stands for; a name no store writes is an error naming the store.</summary>
    public static EventType Parse(ReadOnlySpan<char> name, string store) => name switch
    {
        "touch" => EventType.Touch,
        "conversion" => EventType.Conversion,
        "identify" => EventType.Identify,
        _ => throw new InvalidDataException($"{store}: unknown event type '{name}' in the events table."),
    };
}
