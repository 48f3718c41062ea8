using OpenAttribution.Core.Tests.Support;
using OpenAttribution.Core.DataDriven;

namespace OpenAttribution.Core.Tests.DataDriven;

public sealed class ShapleyModelTests
{
    [Fact]
    public void Conversions_of_a_channel_set_are_shared_equally_by_its_members()
    {
        // {a, b}: 4 conversions -> 2 each; {a}: 1 -> a; repeated touches do not change the set.
        var table = Tables.Of(("a > b > a", 3, 30, 1), ("b > a", 1, 10, 0), ("a > a", 1, 5, 2));
        var result = ShapleyModel.Compute(table);

        Assert.Equal([3.0, 2.0], result.Conversions);
        Assert.Equal([25.0, 20.0], result.Values);
        Assert.Equal(2, result.ChannelSets);
    }

    [Fact]
    public void Closed_form_equals_the_coalition_definition_on_seeded_tables()
    {
        var random = new Random(20180801);
        for (var round = 0; round < 40; round++)
        {
            var n = random.Next(1, 9);
            var rows = Enumerable.Range(0, random.Next(1, 25))
                .Select(_ => (
                    Path: string.Join(" > ", Enumerable.Range(0, random.Next(1, 6)).Select(_ => $"c{random.Next(n)}")),
                    Conversions: (double)random.Next(0, 5),
                    Value: random.Next(0, 1000) / 7.0,
                    Nulls: (double)random.Next(0, 5)))
                .ToArray();
            var table = Tables.Of(rows);
            var result = ShapleyModel.Compute(table);
            var expected = ShapleyBruteForce.Values(table, table.Conversions);
            var expectedValue = ShapleyBruteForce.Values(table, table.Values);
            for (var c = 0; c < table.Channels.Count; c++)
            {
                Assert.Equal(expected[c], result.Conversions[c], 1e-9);
                Assert.Equal(expectedValue[c], result.Values[c], 1e-9);
            }
        }
    }

    [Fact]
    public void Table_without_conversions_credits_nothing()
    {
        var result = ShapleyModel.Compute(Tables.Of(("a > b", 0, 0, 5), ("b", 0, 0, 2)));

        Assert.All(result.Conversions, x => Assert.Equal(0.0, x));
        Assert.All(result.Values, x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void Channel_seen_only_on_null_paths_gets_zero()
    {
        var table = Tables.Of(("a > b", 2, 8, 1), ("ghost > a", 0, 0, 9));
        var result = ShapleyModel.Compute(table);

        Assert.Equal(0.0, result.Conversions[table.ChannelId("ghost")]);
        Assert.Equal(0.0, result.Values[table.ChannelId("ghost")]);
        Assert.Equal(1.0, result.Conversions[table.ChannelId("a")]);
    }

    [Fact]
    public void Works_for_hundreds_of_channels()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 5000)
            .Select(_ => (
                Path: string.Join(" > ", Enumerable.Range(0, random.Next(1, 12)).Select(_ => $"c{random.Next(300)}")),
                Conversions: (double)random.Next(0, 3),
                Value: random.Next(0, 1000) / 10.0,
                Nulls: (double)random.Next(0, 4)))
            .ToArray();
        var table = Tables.Of(rows);
        var result = ShapleyModel.Compute(table);

        Assert.Equal(300, result.Channels.Count);
        Assert.All(result.Conversions, x => Assert.True(double.IsFinite(x) && x >= 0));
        Tables.AssertClose(table.TotalConversions, result.Conversions.Sum(), 1e-12, "conversions");
        Tables.AssertClose(table.TotalValue, result.Values.Sum(), 1e-12, "value");
    }

    [Fact]
    public void PathData_credits_add_up_to_the_table_totals()
    {
        var table = TestData.PathData;
        var result = ShapleyModel.Compute(table);

        Tables.AssertClose(19785, result.Conversions.Sum(), 1e-12, "conversions");
        Tables.AssertClose(table.TotalValue, result.Values.Sum(), 1e-12, "value");
        Assert.Equal("alpha", table.Channels[Array.IndexOf(result.Conversions, result.Conversions.Max())]);
    }

    [Fact]
    public void A_refund_lowers_the_credit_of_the_channels_on_its_path()
    {
        // The game is linear in value: a's sale of 100 is a's; the refund of 30 on a>b is shared by a and b.
        var result = ShapleyModel.Compute(Tables.Of(("a", 1, 100, 0), ("a>b", 1, -30, 0)));

        Assert.Equal([85.0, -15.0], result.Values);
        Assert.Equal([1.5, 0.5], result.Conversions);
    }
}
