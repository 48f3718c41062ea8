using System.Text;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Tests.Text;

public class CsvFieldTests
{
    [Theory]
    [InlineData("Paid Search", "Paid Search")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("carriage\rreturn", "\"carriage\rreturn\"")]
    public void OnlyFieldsWithACommaAQuoteOrALineBreakAreQuoted(string field, string written)
    {
        Assert.Equal(written, CsvField.Quote(field));
        Assert.Equal(written, CsvField.Append(new StringBuilder("x,"), field).ToString()[2..]);
    }

    [Fact]
    public void QuotedFieldsReadBackAsTheyWere()
    {
        string[] fields = ["a,b", "say \"hi\"", "two\nlines", "plain"];
        var csv = new CsvRecordReader(new StringReader(string.Join(',', fields.Select(CsvField.Quote)) + "\n"));

        Assert.True(csv.Read());
        Assert.Equal(fields, Enumerable.Range(0, csv.FieldCount).Select(i => csv[i].ToString()));
    }
}
