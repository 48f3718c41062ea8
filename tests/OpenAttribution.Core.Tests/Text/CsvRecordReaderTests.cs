using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Tests.Text;

public class CsvRecordReaderTests
{
    private static List<string[]> ReadAll(TextReader text, out List<long> lines)
    {
        var csv = new CsvRecordReader(text);
        var records = new List<string[]>();
        lines = [];
        while (csv.Read())
        {
            records.Add(Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].ToString()).ToArray());
            lines.Add(csv.Line);
        }

        return records;
    }

    [Fact]
    public void CrLfLineBreaksBlankLinesAndAMissingFinalNewlineAreHandled()
    {
        var records = ReadAll(new StringReader("a,b\r\n\r\n1,\"x\r\ny\"\r\n2,z"), out var lines);
        Assert.Equal([["a", "b"], ["1", "x\ny"], ["2", "z"]], records);
        Assert.Equal([1L, 3L, 5L], lines);
    }

    /// <summary>
    /// Records of random fields (empty, short, longer than the 16 characters read at once, any text
    /// without quotes or separators, or quoted with separators, doubled quotes and line breaks inside)
    /// read back as the same fields, for ',' and ';': lines without quotes take the vectorised split,
    /// the others the general one, and both must agree with how the records were written.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property RecordsOfRandomFieldsReadBackAsWritten()
    {
        var plain = Gen.Elements("", "a", "ab,c", "x\"y", "é", "0123456789abcdef", "0123456789abcdefg", "utm_source=google&x=1", " spaced ");
        var field = Gen.Frequency((3, plain), (1, Gen.Elements("a", "longer text of 30 characters…", "").Select(t => t + "\"q\",\n;")));
        var record = Gen.Choose(1, 24).SelectMany(n => Gen.ArrayOf(field, n));
        var records = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(record, n));
        return Prop.ForAll(records.ToArbitrary(), Gen.Elements(',', ';').ToArbitrary(), (written, separator) =>
        {
            string Quote(string f) => f.IndexOfAny(['"', '\n', separator]) >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f;
            var text = string.Join("\n", written.Select(r => string.Join(separator, r.Select(Quote)))) + "\n";
            var csv = new CsvRecordReader(new StringReader(text), separator);
            var read = new List<string[]>();
            while (csv.Read())
            {
                read.Add(Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].ToString()).ToArray());
            }

            // A record of one empty field is a blank line, which the reader skips.
            var expected = written.Where(r => r is not [""]).ToList();
            return expected.Count == read.Count && expected.Zip(read).All(p => p.First.SequenceEqual(p.Second));
        });
    }

    [Fact]
    public void EmptyFieldsAndATrailingSeparatorGiveEmptyFields()
    {
        var records = ReadAll(new StringReader(",a,,\n"), out _);
        Assert.Equal([["", "a", "", ""]], records);
    }

    /// <summary>Lines and records longer than the 64K buffer, read through a reader that returns few characters per call.</summary>
    [Fact]
    public void RecordsLongerThanTheBufferAreReadWhole()
    {
        var longField = new string('x', 200_000);
        var quoted = string.Join("\n", Enumerable.Range(0, 5000).Select(i => $"line {i}"));
        var text = $"id,text\n1,{longField}\n2,\"{quoted}\"\n3,end\n";
        var records = ReadAll(new TrickleReader(text), out var lines);
        Assert.Equal(3 + 1, records.Count);
        Assert.Equal(longField, records[1][1]);
        Assert.Equal(quoted, records[2][1]);
        Assert.Equal(["3", "end"], records[3]);
        Assert.Equal(5003L, lines[3]);
    }

    /// <summary>What a reader gives for each record: its first and last line, its fields, its problem.</summary>
    private static List<(long Line, long End, string[] Fields, string? Problem)> Records(TextReader text, int expectedFields)
    {
        var csv = new CsvRecordReader(text) { ExpectedFieldCount = expectedFields };
        var records = new List<(long, long, string[], string?)>();
        while (csv.Read())
        {
            records.Add((csv.Line, csv.EndLine, Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].ToString()).ToArray(), csv.Problem?.Reason));
        }

        return records;
    }

    [Fact]
    public void AQuoteNeverClosedIsItsLinesProblemAndTheLinesAfterItAreRecords()
    {
        var records = Records(new StringReader("1,a\n2,\"b\n3,c\n4,d"), expectedFields: 0);

        Assert.Equal(4, records.Count);
        Assert.Equal((2L, 2L), (records[1].Line, records[1].End));
        Assert.Empty(records[1].Fields);
        Assert.Contains("never closed (end of input)", records[1].Problem);
        Assert.Equal([(3L, "3,c"), (4L, "4,d")], records.Skip(2).Select(r => (r.Line, string.Join(",", r.Fields))));
        Assert.All(records.Where(r => r.Line != 2), r => Assert.Null(r.Problem));
    }

    [Fact]
    public void AQuoteStillOpenOnALineThatIsARowOfItsOwnIsUnclosed()
    {
        // Line 2 has no quote and the header's three fields: it cannot be inside line 1's quote.
        var records = Records(new StringReader("2,\"b,x\n3,c,y\n4,\"d\ne\",z\n"), expectedFields: 3);

        Assert.Contains("not closed before line 2", records[0].Problem);
        Assert.Equal(["3", "c", "y"], records[1].Fields);
        Assert.Equal((3L, 4L), (records[2].Line, records[2].End));
        Assert.Equal(["4", "d\ne", "z"], records[2].Fields);
        Assert.Null(records[2].Problem);
    }

    [Fact]
    public void AStrayQuoteClosedByAnotherLinesQuoteDoesNotSwallowTheLinesBetween()
    {
        // Line 1's quote is "closed" by line 3's stray one, which is followed by text, not a separator;
        // line 4 opens one that line 5 closes, leaving four fields where the header has three.
        var records = Records(new StringReader("1,\"a,b\nmiddle line\n3,c\"x,y\n4,\"d\ne,f\",g,h\n6,k,l\n"), expectedFields: 3);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], records.Select(r => r.Line));
        Assert.Contains("not followed by a separator", records[0].Problem);
        Assert.Equal(["middle line"], records[1].Fields);
        Assert.Equal(["3", "c\"x", "y"], records[2].Fields);
        Assert.Contains("4 fields, not the header's 3", records[3].Problem);
        Assert.Equal(["e", "f\"", "g", "h"], records[4].Fields);
        Assert.Equal(["6", "k", "l"], records[5].Fields);
    }

    [Fact]
    public void AQuoteOpenPastTheBoundIsUnclosedAndEveryLineAfterItIsRead()
    {
        var lines = Enumerable.Range(0, CsvRecordReader.MaxRecordLines + 500).Select(i => $"line {i}");
        var records = Records(new TrickleReader("\"open\n" + string.Join("\n", lines) + "\n"), expectedFields: 0);

        Assert.Contains("still open after 10,000 lines", records[0].Problem);
        Assert.Equal(CsvRecordReader.MaxRecordLines + 500 + 1, records.Count);
        Assert.Equal(Enumerable.Range(2, CsvRecordReader.MaxRecordLines + 500).Select(i => (long)i), records.Skip(1).Select(r => r.Line));
        Assert.Equal("line 10499", Assert.Single(records[^1].Fields));
    }

    /// <summary>
    /// Any text at all (quotes, separators, CR, LF and other characters in random order, read a few
    /// characters at a time): the reader never throws, its records follow each other line after line
    /// with none skipped (only blank lines between them), a record with a problem is one line with no
    /// fields, and a record spanning lines has the expected field count.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property EveryLineOfAnyTextIsInExactlyOneRecord()
    {
        var piece = Gen.Elements("\"", ",", "\n", "\r\n", "\r", "a", "bc", "\"\"", ",\"", "\",", "\ufeff", "\ufffd", " ");
        var text = Gen.Choose(0, 80).SelectMany(n => Gen.ArrayOf(piece, n)).Select(p => string.Concat(p));
        return Prop.ForAll(text.ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (input, expected) =>
        {
            var records = Records(new TrickleReader(input), expected);
            var physical = input.Split('\n');
            var next = 1L;
            foreach (var (line, end, fields, problem) in records)
            {
                // Lines before this record were blank (a lone CR is blank too: CR LF ends a line).
                for (var skipped = next; skipped < line; skipped++)
                {
                    if (physical[skipped - 1].TrimEnd('\r').Length != 0)
                    {
                        return false.Label($"line {skipped} is in no record");
                    }
                }

                var ok = problem is null
                    ? end == line || expected == 0 || fields.Length == expected
                    : end == line && fields.Length == 0;
                if (!ok || end < line)
                {
                    return false.Label($"record {line}-{end} ({fields.Length} fields, {problem})");
                }

                next = end + 1;
            }

            return physical.Skip((int)next - 1).All(l => l.TrimEnd('\r').Length == 0).Label("lines after the last record");
        });
    }

    private sealed class TrickleReader(string text) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, 777), text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }
}
