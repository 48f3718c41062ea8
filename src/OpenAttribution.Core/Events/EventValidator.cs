using System.Globalization;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>Applies the rules of spec section 1 to a raw row and hands it to a sink.</summary>
internal static class EventValidator
{
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
            EventId = raw.Get(EventField.EventId).Trim(),
            UserId = user,
            AnonymousId = anon,
            Channel = raw.Get(EventField.Channel).Trim(),
            Source = raw.Get(EventField.Source).Trim(),
            Medium = raw.Get(EventField.Medium).Trim(),
            Campaign = raw.Get(EventField.Campaign).Trim(),
            Content = raw.Get(EventField.Content).Trim(),
            Term = raw.Get(EventField.Term).Trim(),
            Referrer = raw.Get(EventField.Referrer).Trim(),
            Url = raw.Get(EventField.Url).Trim(),
            Conversion = conversion,
        });
        return true;
    }
}
