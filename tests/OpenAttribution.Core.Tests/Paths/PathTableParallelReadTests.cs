using System.Globalization;
using System.Text;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.Paths;

public sealed class PathTableParallelReadTests
{
    [Theory]
    [InlineData(",", "\n")]
    [InlineData(";", "\r\n")]
    public void A_table_read_in_parts_is_the_table_read_by_one_thread_bit_for_bit(string separator, string newline)
    {
        // Over 1 Mi characters (read in parts), with repeated paths whose sums depend on their order,
        // channels first named late in the file, blank lines and bad rows spread through it.
        var random = new Random(19);
        var text = new StringBuilder($"path{separator}total_conversions{separator}total_conversion_value{separator}total_null{newline}");
        for (var i = 0; text.Length < 1_300_000; i++)
        {
            var channels = i < 20_000 ? 12 : 40;
            var length = random.Next(1, 6);
            var path = string.Join(" > ", Enumerable.Range(0, length).Select(_ => $"ch{random.Next(channels)}"));
            var value = (random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture);
            var row = (i % 997) switch
            {
                5 => $"a >  > b{separator}1{separator}1{separator}1",
                9 => $"{path}{separator}x{separator}1{separator}1",
                13 => "",
                _ => $"{path}{separator}{random.Next(0, 3)}{separator}{value}{separator}{random.Next(0, 9) / 4.0}",
            };
            text.Append(row).Append(newline);
        }

        var parts = PathTableReader.Read(new StringReader(text.ToString()));
        var one = PathTableReader.Read(new StringReader(text.ToString()), null, parallel: false);

        Assert.Equal(one.Rows, parts.Rows);
        Assert.Equal(one.Errors, parts.Errors);
        Assert.Contains(one.Errors, e => e.Line > 30_000);
        Assert.Equal(one.Table.Channels, parts.Table.Channels);
        Assert.Equal(one.Table.Offsets, parts.Table.Offsets);
        Assert.Equal(one.Table.ChannelIds, parts.Table.ChannelIds);
        Assert.Equal(one.Table.Conversions.Select(BitConverter.DoubleToInt64Bits), parts.Table.Conversions.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(one.Table.Values.Select(BitConverter.DoubleToInt64Bits), parts.Table.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(one.Table.Nulls.Select(BitConverter.DoubleToInt64Bits), parts.Table.Nulls.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_large_table_opening_with_a_blank_line_is_read_as_one_thread_reads_it()
    {
        var text = new StringBuilder("\npath,total_conversions,total_conversion_value,total_null\n");
        for (var i = 0; text.Length < 1_200_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"a{i % 50} > b{i % 7},1,{i},2\n");
        }

        var parts = PathTableReader.Read(new StringReader(text.ToString()));
        var one = PathTableReader.Read(new StringReader(text.ToString()), null, parallel: false);

        Assert.Empty(parts.Errors);
        Assert.Equal(one.Rows, parts.Rows);
        Assert.Equal(one.Table.Values, parts.Table.Values);
    }
}
