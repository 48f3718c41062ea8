using FsCheck;
using FsCheck.Xunit;
using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.DataDriven;

[Properties(Arbitrary = [typeof(RandomPathTables)], MaxTest = 150)]
public sealed class DataDrivenProperties
{
    [Property]
    public bool Markov_order_1_credits_add_up_and_are_never_negative_or_nan(RandomPathTable random) => MarkovAddsUp(random, 1);

    [Property]
    public bool Markov_order_2_credits_add_up_and_are_never_negative_or_nan(RandomPathTable random) => MarkovAddsUp(random, 2);

    [Property]
    public bool Markov_order_3_credits_add_up_and_are_never_negative_or_nan(RandomPathTable random) => MarkovAddsUp(random, 3);

    [Property]
    public bool Markov_solvers_agree(RandomPathTable random) => SolversAgree(random.Build(), 1, 2, 3);

    [Property(Arbitrary = [typeof(ManyChannelPathTables)], MaxTest = 60)]
    public bool Markov_solvers_agree_over_many_channels(RandomPathTable random) => SolversAgree(random.Build(), 1, 2);

    [Property]
    public bool Markov_conversion_probability_is_the_observed_conversion_rate(RandomPathTable random)
    {
        var table = random.Build();
        var journeys = table.TotalConversions + table.TotalNulls;
        var rate = journeys > 0 ? table.TotalConversions / journeys : 0;
        return new[] { 1, 2, 3 }.All(order => Close(rate, MarkovModel.Compute(table, order).ConversionProbability, 1e-12));
    }

    [Property]
    public bool Shapley_credits_add_up_and_are_never_negative_or_nan(RandomPathTable random)
    {
        var table = random.Build();
        var result = ShapleyModel.Compute(table);
        return AllFinite(result.Conversions) && SignedFinite(table, result.Values) &&
               Close(table.TotalConversions, result.Conversions.Sum(), 1e-12) &&
               Close(table.TotalValue, result.Values.Sum(), 1e-12, Scale(table) * 1e-12);
    }

    [Property(MaxTest = 100)]
    public bool Shapley_closed_form_equals_the_coalition_definition(RandomPathTable random)
    {
        var table = random.Build();
        var result = ShapleyModel.Compute(table);
        var conversions = ShapleyBruteForce.Values(table, table.Conversions);
        var values = ShapleyBruteForce.Values(table, table.Values);
        for (var c = 0; c < table.Channels.Count; c++)
        {
            if (!Close(conversions[c], result.Conversions[c], 1e-9, 1e-12) || !Close(values[c], result.Values[c], 1e-9, 1e-12))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MarkovAddsUp(RandomPathTable random, int order)
    {
        var table = random.Build();
        var result = MarkovModel.Compute(table, order);
        var valueExpected = result.RemovalEffects.Sum() > 0 ? table.TotalValue : 0;
        var conversionsExpected = result.RemovalEffects.Sum() > 0 ? table.TotalConversions : 0;
        return AllFinite(result.Conversions) && SignedFinite(table, result.Values) &&
               result.RemovalEffects.All(x => x is >= 0 and <= 1) &&
               result.ValueRemovalEffects.All(x => x is >= 0 and <= 1) &&
               (table.TotalConversions == 0 || result.RemovalEffects.Sum() > 0) &&
               Close(conversionsExpected, result.Conversions.Sum(), 1e-12) &&
               Close(valueExpected, result.Values.Sum(), 1e-12, Scale(table) * 1e-12);
    }

    private static bool AllFinite(double[] xs) => xs.All(x => double.IsFinite(x) && x >= 0);

    /// <summary>Value credits are finite, and never negative unless some path nets to a refund.</summary>
    private static bool SignedFinite(PathTable table, double[] xs) =>
        xs.All(double.IsFinite) && (table.Values.Any(v => v < 0) || xs.All(x => x >= 0));

    /// <summary>The summed magnitude of the values: with refunds a total may cancel to near zero.</summary>
    private static double Scale(PathTable table) => table.Values.Sum(Math.Abs);

    private static bool SolversAgree(PathTable table, params int[] orders)
    {
        foreach (var order in orders)
        {
            var gs = MarkovModel.Compute(table, order, false, MarkovSolverKind.GaussSeidel);
            var elimination = MarkovModel.Compute(table, order, false, MarkovSolverKind.Elimination);
            if (!Close(gs.ConversionProbability, elimination.ConversionProbability, 1e-12) ||
                !Close(gs.ExpectedValue, elimination.ExpectedValue, 1e-12))
            {
                return false;
            }

            for (var c = 0; c < table.Channels.Count; c++)
            {
                if (!Close(gs.RemovalEffects[c], elimination.RemovalEffects[c], 1e-10, 1e-13) ||
                    !Close(gs.ValueRemovalEffects[c], elimination.ValueRemovalEffects[c], 1e-10, 1e-13))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Close(double expected, double actual, double relative, double absolute = 0) =>
        Math.Abs(expected - actual) <= Math.Max(absolute, relative * Math.Max(Math.Abs(expected), Math.Abs(actual)));
}
