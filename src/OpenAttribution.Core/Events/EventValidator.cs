using System.Globalization;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Applies the rules of spec section 1 to a raw row and hands it to a sink, with the bounds that keep
/// one hostile row from breaking every report (docs/spec-notes.md): a value of at most 10^12 in
/// magnitude, so sums stay finite; a timestamp from 1970 to 2199, so windows and lookbacks never leave
/// the calendar; text fields of bounded length.
/// </summary>
internal static class EventValidator
{
    /// <summary>The largest magnitude of a conversion value: a trillion, so no sum overflows.</summary>
    public const double MaxValue = 1e12;

    /// <summary>The longest url or referrer, in characters.</summary>
    public const int MaxUrlLength = 8192;

    /// <summary>The longest value of every other text field, in characters.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>The first instant an event may have: 1970-01-01T00:00:00Z.</summary>
    public static readonly long MinTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>The first instant an event may not have: 2200-01-01T00:00:00Z.</summary>
    public static readonly long EndTicks = new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public static bool Validate<TRow>(scoped ref TRow raw, IEventSink sink)
        where TRow : IRawEventRow, allows ref struct
    {
        var line = raw.Line;
        var ok = true;

        var tsText = raw.Get(EventField.Timestamp);
        long ticks = 0;
        if (tsText.IsEmpty)
        {
            sink.Reject(new InputError(line, "timestamp", string.Empty, "missing (required)"));
            ok = false;
        }
        else if (!Iso8601.TryParseUtcTicks(tsText, out ticks))
        {
            sink.Reject(new InputError(line, "timestamp", tsText.ToString(), "not an ISO 8601 timestamp with an offset or Z (e.g. 2026-03-01T09:30:00Z)"));
            ok = false;
        }
        else if (ticks < MinTicks || ticks >= EndTicks)
        {
            sink.Reject(new InputError(line, "timestamp", tsText.ToString(), "out of range: events must fall from 1970-01-01 to 2199-12-31 (UTC)"));
            ok = false;
        }

        var typeText = raw.Get(EventField.Type).Trim();
        EventType type = default;
        if (typeText.IsEmpty)
        {
            sink.Reject(new InputError(line, "type", string.Empty, "missing (required: touch, conversion or identify)"));
            ok = false;
        }
        else if (typeText.Equals("touch", StringComparison.OrdinalIgnoreCase))
        {
            type = EventType.Touch;
        }
        else if (typeText.Equals("conversion", StringComparison.OrdinalIgnoreCase))
        {
            type = EventType.Conversion;
        }
        else if (typeText.Equals("identify", StringComparison.OrdinalIgnoreCase))
        {
            type = EventType.Identify;
        }
        else
        {
            sink.Reject(new InputError(line, "type", typeText.ToString(), "unknown type (expected touch, conversion or identify)"));
            ok = false;
        }

        var user = raw.Get(EventField.UserId).Trim();
        var anon = raw.Get(EventField.AnonymousId).Trim();
        if (user.IsEmpty && anon.IsEmpty)
        {
            sink.Reject(new InputError(line, "user_id/anonymous_id", string.Empty, "an event needs a user_id or an anonymous_id"));
            ok = false;
        }
        else if (ok && type == EventType.Identify && (user.IsEmpty || anon.IsEmpty))
        {
            sink.Reject(new InputError(line, user.IsEmpty ? "user_id" : "anonymous_id", string.Empty, "an identify event needs both user_id and anonymous_id"));
            ok = false;
        }

        var conversion = raw.Get(EventField.Conversion).Trim();
        if (ok && type == EventType.Conversion && conversion.IsEmpty)
        {
            sink.Reject(new InputError(line, "conversion", string.Empty, "a conversion event needs a conversion name"));
            ok = false;
        }

        var valueText = raw.Get(EventField.Value).Trim();
        double value = 0;
        if (!valueText.IsEmpty &&
            (!double.TryParse(valueText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value)))
        {
            sink.Reject(new InputError(line, "value", valueText.ToString(), "not a decimal number (invariant culture, '.' as separator)"));
            ok = false;
        }
        else if (Math.Abs(value) > MaxValue)
        {
            sink.Reject(new InputError(line, "value", valueText.ToString(), "out of range: a value must be at most 1e12 in magnitude"));
            ok = false;
        }

        var eventId = raw.Get(EventField.EventId).Trim();
        var channel = raw.Get(EventField.Channel).Trim();
        var source = raw.Get(EventField.Source).Trim();
        var medium = raw.Get(EventField.Medium).Trim();
        var campaign = raw.Get(EventField.Campaign).Trim();
        var content = raw.Get(EventField.Content).Trim();
        var term = raw.Get(EventField.Term).Trim();
        var referrer = raw.Get(EventField.Referrer).Trim();
        var url = raw.Get(EventField.Url).Trim();
        ok &= Fits(eventId, "event_id", MaxTextLength, line, sink)
            & Fits(user, "user_id", MaxTextLength, line, sink)
            & Fits(anon, "anonymous_id", MaxTextLength, line, sink)
            & Fits(channel, "channel", MaxTextLength, line, sink)
            & Fits(source, "source", MaxTextLength, line, sink)
            & Fits(medium, "medium", MaxTextLength, line, sink)
            & Fits(campaign, "campaign", MaxTextLength, line, sink)
            & Fits(content, "content", MaxTextLength, line, sink)
            & Fits(term, "term", MaxTextLength, line, sink)
            & Fits(conversion, "conversion", MaxTextLength, line, sink)
            & Fits(referrer, "referrer", MaxUrlLength, line, sink)
            & Fits(url, "url", MaxUrlLength, line, sink);

        if (!ok)
        {
            return false;
        }

        sink.Accept(new EventRow
        {
            Line = line,
            TimestampTicks = ticks,
            Type = type,
            Value = value,
            EventId = eventId,
            UserId = user,
            AnonymousId = anon,
            Channel = channel,
            Source = source,
            Medium = medium,
            Campaign = campaign,
            Content = content,
            Term = term,
            Referrer = referrer,
            Url = url,
            Conversion = conversion,
        });
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool Fits(ReadOnlySpan<char> text, string field, int max, long line, IEventSink sink) =>
        text.Length <= max || TooLong(text, field, max, line, sink);

    private static bool TooLong(ReadOnlySpan<char> text, string field, int max, long line, IEventSink sink)
    {
        sink.Reject(new InputError(line, field, text[..Math.Min(text.Length, InputError.MaxValueLength + 1)].ToString(), $"too long: {text.Length:N0} characters, at most {max:N0}"));
        return false;
    }
}
