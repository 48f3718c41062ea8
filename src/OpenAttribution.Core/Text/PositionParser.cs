using System.Globalization;

namespace OpenAttribution.Core.Text;

/// <summary>Parses position-based shares written as <c>first,last</c>, e.g. <c>0.4,0.4</c>.</summary>
public static class PositionParser
{
    public static bool TryParse(string text, out double first, out double last)
    {
        first = last = 0;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2 &&
            double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out first) &&
            double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out last) &&
            first >= 0 && last >= 0 && first + last <= 1 + 1e-12;
    }
}
