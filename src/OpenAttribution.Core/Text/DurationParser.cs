using System.Globalization;

namespace OpenAttribution.Core.Text;

/// <summary>Durations as the CLI writes them: <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>1.5d</c>, <c>2w</c>.</summary>
public static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().ToLowerInvariant();
        var unit = s[^1];
        var number = char.IsAsciiLetter(unit) ? s[..^1] : s;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n <= 0)
        {
            return false;
        }

        double? days = char.IsAsciiLetter(unit)
            ? unit switch { 'w' => n * 7, 'd' => n, 'h' => n / 24, 'm' => n / 1440, 's' => n / 86400, _ => null }
            : n;
        if (days is null || days > 100_000)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(days.Value * TimeSpan.TicksPerDay));
        return duration > TimeSpan.Zero;
    }

    public static TimeSpan Parse(string text, string option) => TryParse(text, out var d)
        ? d
        : throw new FormatException($"{option} '{text}' is not a duration: use a positive number with d (days), h, m, s or w, e.g. 30d.");

    public static string Format(TimeSpan d) =>
        d.Ticks % TimeSpan.TicksPerDay == 0 ? $"{d.Ticks / TimeSpan.TicksPerDay}d"
        : d.Ticks % TimeSpan.TicksPerHour == 0 ? $"{d.Ticks / TimeSpan.TicksPerHour}h"
        : d.TotalDays.ToString("R", CultureInfo.InvariantCulture) + "d";
}
