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
