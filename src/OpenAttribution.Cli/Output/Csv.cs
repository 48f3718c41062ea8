namespace OpenAttribution.Cli.Output;

/// <summary>Writes CSV fields, quoting where needed.</summary>
internal static class Csv
{
    public static string Field(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    public static void Row(TextWriter w, params string[] fields) => w.WriteLine(string.Join(',', fields.Select(Field)));
}
