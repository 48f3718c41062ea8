using System.Globalization;
using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.DataDriven;

/// <summary>
/// A conversion with no touch in its window (the path <c>(none)</c>) is caused by no channel: the
/// data-driven models credit it whole to <c>(none)</c>, which is never a chain state nor a Shapley
/// player, and the channels share the other conversions exactly as without it.
/// </summary>
public sealed class NoTouchConversionTests
{
    private static readonly (string, double, double, double)[] Touched =
    [
        ("a > b", 30, 300, 40),
        ("b", 20, 100, 60),
        ("a > c > b", 10, 70, 5),
        ("c", 0, 0, 50),
        ("a", 5, 20, 30),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Markov_gives_none_exactly_the_conversions_without_a_touch_and_the_channels_the_rest(int order)
    {
        var without = MarkovModel.Compute(Tables.Of(Touched), order);
        var with = MarkovModel.Compute(Tables.Of([.. Touched, ("(none)", 98, 4321.5, 0)]), order);

        var table = Tables.Of([.. Touched, ("(none)", 98, 4321.5, 0)]);
        Assert.Equal(98, with.Conversions[table.ChannelId("(none)")]);
        Assert.Equal(4321.5, with.Values[table.ChannelId("(none)")]);
        Assert.Equal(0, with.RemovalEffects[table.ChannelId("(none)")]);
        foreach (var channel in new[] { "a", "b", "c" })
        {
            var c = table.ChannelId(channel);
            var w = Tables.Of(Touched).ChannelId(channel);
            Tables.AssertClose(without.Conversions[w], with.Conversions[c], 1e-12, channel + " conversions");
            Tables.AssertClose(without.Values[w], with.Values[c], 1e-12, channel + " value");
            Tables.AssertClose(without.RemovalEffects[w], with.RemovalEffects[c], 1e-12, channel + " removal effect");
        }

        // (none) is no state: the chain has the same states and P as without the row.
        Assert.Equal(without.StateCount, with.StateCount);
        Tables.AssertClose(without.ConversionProbability, with.ConversionProbability, 1e-12, "P");
    }

    [Fact]
    public void Shapley_gives_none_exactly_the_conversions_without_a_touch_and_the_channels_the_rest()
    {
        var without = ShapleyModel.Compute(Tables.Of(Touched));
        var table = Tables.Of([.. Touched, ("(none)", 98, 4321.5, 7)]);
        var with = ShapleyModel.Compute(table);

        Assert.Equal(98, with.Conversions[table.ChannelId("(none)")]);
        Assert.Equal(4321.5, with.Values[table.ChannelId("(none)")]);
        Assert.Equal(without.ChannelSets, with.ChannelSets);
        foreach (var channel in new[] { "a", "b", "c" })
        {
            Tables.AssertClose(without.Conversions[Tables.Of(Touched).ChannelId(channel)], with.Conversions[table.ChannelId(channel)], 1e-12, channel);
        }
    }

    [Fact]
    public void Only_conversions_without_a_touch_give_everything_to_none()
    {
        var table = Tables.Of(("(none)", 4, 40, 0), ("a", 0, 0, 9));
        var markov = MarkovModel.Compute(table, 2);
        var shapley = ShapleyModel.Compute(table);

        Assert.Equal([4.0, 0.0], markov.Conversions);
        Assert.Equal([40.0, 0.0], markov.Values);
        Assert.Equal([4.0, 0.0], shapley.Conversions);
        Assert.Equal([40.0, 0.0], shapley.Values);
    }

    [Fact]
    public void A_none_step_inside_a_path_is_left_out_of_the_path()
    {
        var plain = MarkovModel.Compute(Tables.Of(("a > b", 3, 30, 1), ("b", 1, 5, 4)), 2);
        var table = Tables.Of(("a > (none) > b", 3, 30, 1), ("b > (none)", 1, 5, 4));
        var stepped = MarkovModel.Compute(table, 2);

        Assert.Equal(plain.StateCount, stepped.StateCount);
        Assert.Equal(0, stepped.Conversions[table.ChannelId("(none)")]);
        Tables.AssertClose(plain.Conversions[0], stepped.Conversions[table.ChannelId("a")], 1e-12, "a");
        Tables.AssertClose(plain.Conversions[1], stepped.Conversions[table.ChannelId("b")], 1e-12, "b");
    }

    [Theory]
    [InlineData("")]
    [InlineData("(none)")]
    [InlineData("  (none)  ")]
    public void A_path_table_row_with_an_empty_or_none_path_is_read_as_conversions_without_a_touch(string path)
    {
        var text = "path,total_conversions,total_conversion_value,total_null\n" +
            "a > b,3,30,2\n" +
            string.Create(CultureInfo.InvariantCulture, $"\"{path}\",5,12.5,3\n");
        var read = PathTableReader.Read(new StringReader(text));

        Assert.Empty(read.Errors);
        var table = read.Table;
        var markov = MarkovModel.Compute(table);
        var shapley = ShapleyModel.Compute(table);
        Assert.Equal(5, markov.Conversions[table.ChannelId("(none)")]);
        Assert.Equal(12.5, markov.Values[table.ChannelId("(none)")]);
        Assert.Equal(5, shapley.Conversions[table.ChannelId("(none)")]);
        Assert.Equal(3, markov.Conversions[table.ChannelId("a")] + markov.Conversions[table.ChannelId("b")], 12);
    }

    [Fact]
    public void A_none_step_of_a_longer_path_table_path_is_read_as_no_step()
    {
        var text = "path;total_conversions;total_conversion_value;total_null\na > (none) > b;3;30;2\n(none) > (none);1;2;0\n";
        var read = PathTableReader.Read(new StringReader(text));

        Assert.Empty(read.Errors);
        Assert.Equal(["a > b", "(none)"], Enumerable.Range(0, read.Table.Count).Select(read.Table.PathText));
    }
}
