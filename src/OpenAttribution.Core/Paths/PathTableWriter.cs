using System.Globalization;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Paths;

/// <summary>Writes a path table in ChannelAttribution's format (comma-separated, spec section 6).</summary>
public static class PathTableWriter
{
    public static void Write(TextWriter writer, PathTable table)
    {
        writer.WriteLine("path,total_conversions,total_conversion_value,total_null");
        for (var p = 0; p < table.Count; p++)
        {
            writer.Write(CsvField.Quote(table.PathText(p)));
            writer.Write(',');
            writer.Write(table.Conversions[p].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(table.Values[p].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(table.Nulls[p].ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
