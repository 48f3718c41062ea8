using System.Buffers;
using System.Text;

namespace OpenAttribution.Core.Text;

/// <summary>Writes one CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma, a quote or a line break.</summary>
public static class CsvField
{
    private static readonly SearchValues<char> Special = SearchValues.Create(",\"\n\r");

    /// <summary>Whether <paramref name="field"/> must be quoted.</summary>
    public static bool NeedsQuotes(ReadOnlySpan<char> field) => field.IndexOfAny(Special) >= 0;

    /// <summary>The field as it stands in a CSV line.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return NeedsQuotes(field) ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>Appends the field to a line being built; a field that needs no quotes is appended as it is.</summary>
    public static StringBuilder Append(StringBuilder line, string field)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(field);
        return NeedsQuotes(field) ? line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"') : line.Append(field);
    }
}
