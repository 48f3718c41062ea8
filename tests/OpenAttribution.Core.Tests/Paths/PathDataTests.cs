using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Paths;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Paths;

public class PathDataTests
{
    private static PathTableReadResult Read() => PathTableReader.Read(new StreamReader(TestData.File("PathData.csv")));

    [Fact]
    public void PathDataIsReadWithItsSemicolonsAndRowsOfTheSamePathAddUp()
    {
        var read = Read();
        Assert.Empty(read.Errors);
        Assert.Equal(10_000, read.Rows);
        Assert.Equal(5_408, read.Table.Count);
        Assert.Equal(12, read.Table.Channels.Count);
        Assert.Equal(19_785, read.Table.TotalConversions, 6);
        Assert.Equal(68_602, read.Table.TotalNulls, 6);
    }

    [Theory]
    [InlineData("alpha", 6308, 8447, 7574.718594)]
    [InlineData("iota", 4606, 3355, 3857.096221)]
    [InlineData("eta", 3164, 4167, 3539.951157)]
    [InlineData("beta", 2831, 989, 2083.500145)]
    [InlineData("theta", 1606, 653, 1022.801394)]
    public void FirstLastAndLinearEqualChannelAttribution(string channel, double first, double last, double linear)
    {
        var set = PathTableJourneys.ToJourneys(Read().Table);
        var results = AttributionEngine.Run(set, [ModelSpec.Of(ModelKind.FirstTouch), ModelSpec.Of(ModelKind.LastTouch), ModelSpec.Of(ModelKind.Linear)]);
        Assert.Equal(first, results[0].Get(channel).Conversions, 6);
        Assert.Equal(last, results[1].Get(channel).Conversions, 6);
        Assert.Equal(linear, results[2].Get(channel).Conversions, 5);
    }

    [Fact]
    public void APathTableWrittenAndReadBackIsTheSame()
    {
        var table = Read().Table;
        var text = new StringWriter();
        PathTableWriter.Write(text, table);
        var again = PathTableReader.Read(new StringReader(text.ToString())).Table;
        Assert.Equal(table.Count, again.Count);
        Assert.Equal(table.TotalConversions, again.TotalConversions, 9);
        Assert.Equal(table.TotalValue, again.TotalValue, 9);
        Assert.Equal(table.TotalNulls, again.TotalNulls, 9);
        Assert.Equal(table.PathText(17), again.PathText(17));
    }

    [Fact]
    public void BadPathTableRowsAreReportedAndGoodOnesKept()
    {
        var read = PathTableReader.Read(new StringReader("path,total_conversions,total_conversion_value,total_null\nA > B,2,10,1\nA >  > B,1,1,1\nC,x,1,1\n\"D > E\",1,,\nA >,1,1,1\n> A,1,1,1\n"));
        Assert.Equal(2, read.Rows);
        Assert.Contains(read.Errors, e => e.Line == 3 && e.Field == "path");
        Assert.Contains(read.Errors, e => e.Line == 6 && e.Field == "path" && e.Reason == "empty channel name in path");
        Assert.Contains(read.Errors, e => e.Line == 7 && e.Field == "path");
        Assert.Contains(read.Errors, e => e.Line == 4 && e.Field == "total_conversions" && e.Value == "x");
        Assert.Equal("D > E", read.Table.PathText(1));
    }

    [Fact]
    public void PathTablesFromEventsCountConvertingAndNullPaths()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T00:00:00Z", "u1", null, "A"),
            Some.Touch("2026-03-02T00:00:00Z", "u1", null, "B"),
            Some.Conversion("2026-03-03T00:00:00Z", "u1", null, 10),
            Some.Touch("2026-03-04T00:00:00Z", "u1", null, "A"),
            Some.Touch("2026-03-01T00:00:00Z", "u2", null, "A"),
            Some.Conversion("2026-03-03T00:00:00Z", "u3", null, 5));
        var table = PathTableJourneys.ToPathTable(set);
        var rows = Enumerable.Range(0, table.Count).ToDictionary(table.PathText, p => (table.Conversions[p], table.Values[p], table.Nulls[p]));
        Assert.Equal((1.0, 10.0, 0.0), rows["A > B"]);
        Assert.Equal((0.0, 0.0, 2.0), rows["A"]);
        Assert.Equal((1.0, 5.0, 0.0), rows["(none)"]);
    }
}
