namespace OpenAttribution.Core.Events;

/// <summary>
/// One validated event, its text fields as spans over the reader's buffer (valid only during
/// <see cref="IEventSink.Accept"/>). Empty span = field absent.
/// </summary>
public readonly ref struct EventRow
{
    public required long Line { get; init; }

    public required long TimestampTicks { get; init; }

    public required EventType Type { get; init; }

    public required double Value { get; init; }

    public ReadOnlySpan<char> EventId { get; init; }

    public ReadOnlySpan<char> UserId { get; init; }

    public ReadOnlySpan<char> AnonymousId { get; init; }

    public ReadOnlySpan<char> Channel { get; init; }

    public ReadOnlySpan<char> Source { get; init; }

    public ReadOnlySpan<char> Medium { get; init; }

    public ReadOnlySpan<char> Campaign { get; init; }

    public ReadOnlySpan<char> Content { get; init; }

    public ReadOnlySpan<char> Term { get; init; }

    public ReadOnlySpan<char> Referrer { get; init; }

    public ReadOnlySpan<char> Url { get; init; }

    public ReadOnlySpan<char> Conversion { get; init; }

    public DateTimeOffset Timestamp => new(TimestampTicks, TimeSpan.Zero);
}
