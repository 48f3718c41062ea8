using OpenAttribution.Core.Text;

namespace OpenAttribution.Cli.Output;

/// <summary>Writes CSV fields, quoting where needed.</summary>
internal static class Csv
{
    public static void Row(TextWriter w, params string[] fields) => w.WriteLine(string.Join(',', fields.Select(CsvField.Quote)));
}
