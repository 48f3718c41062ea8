using System.Globalization;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Paths;

/// <summary>
/// Reads a ChannelAttribution path table (spec section 6): CSV, comma- or semicolon-separated
/// (detected from the header), columns <c>path,total_conversions,total_conversion_value,total_null</c>.
/// Bad rows are collected with line, field and value; good rows are kept.
/// </summary>
public static class PathTableReader
{
    public const string PathColumn = "path";
    public const string ConversionsColumn = "total_conversions";
    public const string ValueColumn = "total_conversion_value";
    public const string NullColumn = "total_null";

    public static PathTableReadResult Read(TextReader text, PathTableBuilder? builder = null)
    {
        builder ??= new PathTableBuilder();
        var errors = new List<InputError>();
        var csv = new CsvRecordReader(text);
        if (!csv.Read())
        {
            throw new FormatException("The path table is empty: expected a header row with the columns path,total_conversions,total_conversion_value,total_null.");
        }

        var header = csv.RawLine;
        csv.Separator = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        // Re-split the header with the detected separator.
        var columns = header.Split(csv.Separator).Select(c => c.Trim().Trim('"').Trim().ToLowerInvariant()).ToArray();
        var iPath = Array.IndexOf(columns, PathColumn);
        var iConv = Array.IndexOf(columns, ConversionsColumn);
        var iValue = Array.IndexOf(columns, ValueColumn);
        var iNull = Array.IndexOf(columns, NullColumn);
        if (iPath < 0 || (iConv < 0 && iNull < 0))
        {
            throw new FormatException(
                $"The path table header '{header}' must name the columns {PathColumn} and {ConversionsColumn} (and optionally {ValueColumn}, {NullColumn}).");
        }

        var rows = 0L;
        var path = new List<int>();
        csv.ExpectedFieldCount = columns.Length;
        while (csv.Read())
        {
            if (csv.Problem is { } problem)
            {
                errors.Add(problem.ToError(csv.Line, csv.RawLine, columns));
                continue;
            }

            var ok = true;
            path.Clear();
            var pathText = Field(csv, iPath);
            // An empty path, or one of only "(none)": conversions with no touch, written as journeys write them.
            // The steps are cut out of the field as spans and interned without a string per step.
            for (var rest = pathText; !rest.IsEmpty;)
            {
                var cut = rest.IndexOf('>');
                var name = (cut < 0 ? rest : rest[..cut]).Trim();
                rest = cut < 0 ? [] : rest[(cut + 1)..];
                if (name.IsEmpty || (cut >= 0 && rest.Trim().IsEmpty))
                {
                    errors.Add(new InputError(csv.Line, PathColumn, pathText.ToString(), "empty channel name in path"));
                    ok = false;
                    break;
                }

                // "(none)" stands for no touch: a step of a longer path is no step at all.
                if (!name.SequenceEqual(JourneySet.NoneChannel))
                {
                    path.Add(builder.Channels.Intern(name));
                }
            }

            if (ok && path.Count == 0)
            {
                path.Add(builder.Channels.Intern(JourneySet.NoneChannel));
            }

            ok &= Number(csv, iConv, ConversionsColumn, errors, out var conv, signed: false);
            ok &= Number(csv, iValue, ValueColumn, errors, out var value, signed: true);
            ok &= Number(csv, iNull, NullColumn, errors, out var nulls, signed: false);
            if (!ok)
            {
                continue;
            }

            builder.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(path), conv, value, nulls);
            rows++;
        }

        return new PathTableReadResult(builder.Build(), rows, errors);
    }

    private static ReadOnlySpan<char> Field(CsvRecordReader csv, int index) =>
        index >= 0 && index < csv.FieldCount ? csv[index].Trim() : [];

    private static bool Number(CsvRecordReader csv, int index, string name, List<InputError> errors, out double value, bool signed)
    {
        value = 0;
        var text = Field(csv, index);
        if (text.IsEmpty)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && (signed || value >= 0))
        {
            return true;
        }

        errors.Add(new InputError(csv.Line, name, text.ToString(), signed ? "not a finite number" : "not a non-negative number"));
        return false;
    }
}

public sealed record PathTableReadResult(PathTable Table, long Rows, IReadOnlyList<InputError> Errors);
