namespace OpenAttribution.Core.Text;

/// <summary>Why a CSV line is not a record: the field (0-based) where it goes wrong, and the reason.</summary>
public sealed record CsvRecordProblem(int Field, string Reason)
{
    /// <summary>The rejection of the line, naming the column and showing the line's start.</summary>
    public InputError ToError(long line, string rawLine, IReadOnlyList<string> columns) =>
        new(line, Field < columns.Count && columns[Field].Length > 0 ? columns[Field] : $"column {Field + 1}", rawLine, Reason);
}
