using OpenAttribution.Core.Tests.Support;
using OpenAttribution.Core.DataDriven;

namespace OpenAttribution.Core.Tests.DataDriven;

public sealed class MarkovPathDataTests
{
    private const double Relative = 1e-9;

    public static TheoryData<int, string> OrdersAndSolvers()
    {
        var data = new TheoryData<int, string>();
        foreach (var order in new[] { 1, 2, 3 })
        {
            foreach (var solver in new[] { "Auto", "Elimination", "GaussSeidel" })
            {
                data.Add(order, solver);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OrdersAndSolvers))]
    public void PathData_matches_the_exact_expected_file_for_every_channel(int order, string solver)
    {
        var table = TestData.PathData;
        var expected = TestData.ReadExpected($"PathData.markov-order{order}.expected.csv");
        var result = MarkovModel.Compute(table, order, includeTransitions: false, Enum.Parse<MarkovSolverKind>(solver));

        Assert.Equal(table.Channels.Count, expected.Count);
        foreach (var row in expected)
        {
            var c = table.ChannelId(row.Channel);
            Tables.AssertClose(row.RemovalEffect, result.RemovalEffects[c], Relative, $"order {order} {row.Channel} removal effect");
            Tables.AssertClose(row.Conversions, result.Conversions[c], Relative, $"order {order} {row.Channel} conversions");
            Tables.AssertClose(row.Value, result.Values[c], Relative, $"order {order} {row.Channel} value");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PathData_conversion_probability_does_not_depend_on_the_order(int order)
    {
        // P of the chain is the observed conversion rate of the journeys whatever the order.
        var table = TestData.PathData;
        var result = MarkovModel.Compute(table, order);
        var rate = table.TotalConversions / (table.TotalConversions + table.TotalNulls);
        Tables.AssertClose(rate, result.ConversionProbability, 1e-13, "P");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void PathData_higher_orders_give_finite_credits_that_add_up(int order)
    {
        var table = TestData.PathData;
        var result = MarkovModel.Compute(table, order);
        Assert.Equal(order, result.Order);
        Assert.All(result.Conversions, x => Assert.True(double.IsFinite(x) && x >= 0));
        Assert.All(result.Values, x => Assert.True(double.IsFinite(x) && x >= 0));
        Tables.AssertClose(table.TotalConversions, result.Conversions.Sum(), 1e-12, "conversions");
        Tables.AssertClose(table.TotalValue, result.Values.Sum(), 1e-12, "value");
    }
}
