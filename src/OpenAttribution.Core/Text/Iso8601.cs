namespace OpenAttribution.Core.Text;

/// <summary>
/// Parses ISO 8601 timestamps that carry an offset or <c>Z</c>:
/// <c>yyyy-MM-ddTHH:mm[:ss[.fffffff]](Z|+hh[:mm]|-hh[:mm])</c> (a space may stand for <c>T</c>).
/// Returns UTC ticks. Hand-written because it runs once per imported event.
/// </summary>
public static class Iso8601
{
    public static bool TryParseUtcTicks(ReadOnlySpan<char> s, out long utcTicks)
    {
        utcTicks = 0;
        s = s.Trim();
        if (s.Length < 17 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day) ||
            !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute))
        {
            return false;
        }

        var pos = 16;
        var second = 0;
        long fraction = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            if (!Digits(s, pos + 1, 2, out second))
            {
                return false;
            }

            pos += 3;
            if (pos < s.Length && (s[pos] == '.' || s[pos] == ','))
            {
                pos++;
                var start = pos;
                long scale = TimeSpan.TicksPerSecond;
                while (pos < s.Length && char.IsAsciiDigit(s[pos]))
                {
                    scale /= 10;
                    fraction += (s[pos] - '0') * scale;
                    pos++;
                }

                if (pos == start)
                {
                    return false;
                }
            }
        }

        if (pos >= s.Length)
        {
            return false; // no offset: ambiguous local time
        }

        long offsetTicks;
        if ((s[pos] == 'Z' || s[pos] == 'z') && pos == s.Length - 1)
        {
            offsetTicks = 0;
        }
        else if (s[pos] == '+' || s[pos] == '-')
        {
            var sign = s[pos] == '-' ? -1 : 1;
            var rest = s[(pos + 1)..];
            int oh, om = 0;
            if (rest.Length == 2 && Digits(rest, 0, 2, out oh))
            {
            }
            else if (rest.Length == 5 && rest[2] == ':' && Digits(rest, 0, 2, out oh) && Digits(rest, 3, 2, out om))
            {
            }
            else if (rest.Length == 4 && Digits(rest, 0, 2, out oh) && Digits(rest, 2, 2, out om))
            {
            }
            else
            {
                return false;
            }

            if (oh > 14 || om > 59)
            {
                return false;
            }

            offsetTicks = sign * ((oh * TimeSpan.TicksPerHour) + (om * TimeSpan.TicksPerMinute));
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fraction;
        utcTicks = local - offsetTicks;
        return utcTicks >= 0 && utcTicks <= DateTime.MaxValue.Ticks;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    public static string Format(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
