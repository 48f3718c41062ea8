using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>Streams events from CSV with a header row (spec section 1). Unknown columns are ignored.</summary>
public static class CsvEventReader
{
    public static ReadSummary Read(TextReader text, IEventSink sink)
    {
        var csv = new CsvRecordReader(text);
        return ReadHeader(csv) is { } header ? ReadRecords(csv, header, sink, long.MaxValue, out _) : new ReadSummary(0, 0, 0);
    }

    /// <summary>What the header row says: the column of each known field, and every column's name.</summary>
    internal sealed class Header(int[] map, string[] columns)
    {
        public int[] Map { get; } = map;

        public string[] Columns { get; } = columns;
    }

    /// <summary>Reads the header row; null for an empty text; a FormatException when a required column is missing.</summary>
    internal static Header? ReadHeader(CsvRecordReader csv)
    {
        if (!csv.Read())
        {
            return null;
        }

        var map = new int[EventFields.Count];
        Array.Fill(map, -1);
        for (var c = 0; c < csv.FieldCount; c++)
        {
            if (EventFields.FromName(csv[c]) is { } field && map[(int)field] < 0)
            {
                map[(int)field] = c;
            }
        }

        var missing = new List<string>();
        if (map[(int)EventField.Timestamp] < 0)
        {
            missing.Add("timestamp");
        }

        if (map[(int)EventField.Type] < 0)
        {
            missing.Add("type");
        }

        if (map[(int)EventField.UserId] < 0 && map[(int)EventField.AnonymousId] < 0)
        {
            missing.Add("user_id or anonymous_id");
        }

        if (missing.Count > 0)
        {
            throw new FormatException(
                $"line 1: the CSV header '{csv.RawLine}' lacks the column(s) {string.Join(", ", missing)}; expected columns: {string.Join(",", EventFields.AllNames)}");
        }

        var columns = new string[csv.FieldCount];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = csv[c].ToString();
        }

        csv.ExpectedFieldCount = columns.Length;
        return new Header(map, columns);
    }

    /// <summary>
    /// Reads the records after the header that start on a line up to <paramref name="lastLine"/> (one
    /// part of a text read on many threads). A record that starts there but goes on past it is read
    /// whole: <paramref name="endLine"/> is the last line the records read took.
    /// </summary>
    internal static ReadSummary ReadRecords(CsvRecordReader csv, Header header, IEventSink sink, long lastLine, out long endLine)
    {
        long rows = 0, valid = 0;
        endLine = csv.EndLine;
        while (csv.Read() && csv.Line <= lastLine)
        {
            rows++;
            endLine = csv.EndLine;
            if (csv.Problem is { } problem)
            {
                sink.Reject(problem.ToError(csv.Line, csv.RawLine, header.Columns));
                continue;
            }

            var raw = new CsvRow(csv, header.Map);
            if (EventValidator.Validate(ref raw, sink))
            {
                valid++;
            }
        }

        return new ReadSummary(rows, valid, rows - valid);
    }

    private readonly ref struct CsvRow(CsvRecordReader csv, int[] map) : IRawEventRow
    {
        private readonly CsvRecordReader _csv = csv;
        private readonly int[] _map = map;

        public long Line => _csv.Line;

        public ReadOnlySpan<char> Get(EventField field)
        {
            var c = _map[(int)field];
            return c >= 0 && c < _csv.FieldCount ? _csv[c] : [];
        }
    }
}
