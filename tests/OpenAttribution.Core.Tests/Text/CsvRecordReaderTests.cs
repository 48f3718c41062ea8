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
