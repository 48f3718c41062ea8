using OpenAttribution.Core.Events;

namespace OpenAttribution.Server.Ingestion;

/// <summary>A validated event copied out of the request body, waiting for its group commit.</summary>
internal sealed class IngestEvent
{
    public required long TimestampTicks { get; init; }

    public required EventType Type { get; init; }

    public required double Value { get; init; }

    public string? EventId { get; init; }

    public string? UserId { get; init; }

    public string? AnonymousId { get; init; }

    public string? Channel { get; init; }

    public string? Source { get; init; }

    public string? Medium { get; init; }

    public string? Campaign { get; init; }

    public string? Content { get; init; }

    public string? Term { get; init; }

    public string? Referrer { get; init; }

    public string? Url { get; init; }

    public string? Conversion { get; init; }

    public static IngestEvent From(in EventRow row) => new()
    {
        TimestampTicks = row.TimestampTicks,
        Type = row.Type,
        Value = row.Value,
        EventId = Text(row.EventId),
        UserId = Text(row.UserId),
        AnonymousId = Text(row.AnonymousId),
        Channel = Text(row.Channel),
        Source = Text(row.Source),
        Medium = Text(row.Medium),
        Campaign = Text(row.Campaign),
        Content = Text(row.Content),
        Term = Text(row.Term),
        Referrer = Text(row.Referrer),
        Url = Text(row.Url),
        Conversion = Text(row.Conversion),
    };

    public EventRow ToRow(long line) => new()
    {
        Line = line,
        TimestampTicks = TimestampTicks,
        Type = Type,
        Value = Value,
        EventId = EventId,
        UserId = UserId,
        AnonymousId = AnonymousId,
        Channel = Channel,
        Source = Source,
        Medium = Medium,
        Campaign = Campaign,
        Content = Content,
        Term = Term,
        Referrer = Referrer,
        Url = Url,
        Conversion = Conversion,
    };

    private static string? Text(ReadOnlySpan<char> span) => span.IsEmpty ? null : span.ToString();
}
