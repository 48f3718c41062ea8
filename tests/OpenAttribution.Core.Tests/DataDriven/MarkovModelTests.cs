using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.DataDriven;

public sealed class MarkovModelTests
{
    public static TheoryData<string> Solvers() => new("Auto", "Elimination", "GaussSeidel");

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Two_step_path_with_a_drop_out_is_solved_by_hand(string solver)
    {
        // start -> a (1); a -> b 1/2, a -> null 1/2; b -> conversion. P = 1/2, both channels essential.
        var table = Tables.Of(("a > b", 1, 10, 0), ("a", 0, 0, 1));
        var result = MarkovModel.Compute(table, 1, false, Enum.Parse<MarkovSolverKind>(solver));

        Assert.Equal(0.5, result.ConversionProbability, 15);
        Assert.Equal(10 * 0.5, result.ExpectedValue, 14);
        Assert.Equal([1.0, 1.0], result.RemovalEffects);
        Assert.Equal([0.5, 0.5], result.Conversions);
        Assert.Equal([5.0, 5.0], result.Values);
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Repeated_channel_is_a_self_loop_folded_into_the_pivot(string solver)
    {
        // a: self-loop 1/3, conversion 1/3, null 1/3 -> P = (1/3) / (2/3) = 1/2 exactly.
        var table = Tables.Of(("a > a", 1, 4, 0), ("a", 0, 0, 1));
        var result = MarkovModel.Compute(table, 1, false, Enum.Parse<MarkovSolverKind>(solver));

        Assert.Equal(0.5, result.ConversionProbability);
        Assert.Equal(2.0, result.ExpectedValue);
        Assert.Equal([1.0], result.Conversions);
        Assert.Equal([4.0], result.Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Paths_of_length_one_credit_each_channel_its_own_conversions(int order)
    {
        // Removing a channel removes exactly its own conversions: credits equal last touch.
        var table = Tables.Of(("a", 3, 30, 1), ("b", 1, 5, 3), ("c", 0, 0, 4));
        var result = MarkovModel.Compute(table, order);

        Tables.AssertClose(0.75, result.RemovalEffects[0], 1e-15, "RE(a)");
        Tables.AssertClose(0.25, result.RemovalEffects[1], 1e-15, "RE(b)");
        Assert.Equal(0.0, result.RemovalEffects[2]);
        Tables.AssertClose(3, result.Conversions[0], 1e-15, "a");
        Tables.AssertClose(1, result.Conversions[1], 1e-15, "b");
        Tables.AssertClose(30, result.Values[0], 1e-15, "a value");
        Tables.AssertClose(5, result.Values[1], 1e-15, "b value");
        Assert.Equal(0.0, result.Conversions[2]);
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Table_without_conversions_credits_nothing(string solver)
    {
        var table = Tables.Of(("a > b", 0, 0, 5), ("b", 0, 0, 2), ("c > a > c", 0, 0, 1));
        var result = MarkovModel.Compute(table, 2, false, Enum.Parse<MarkovSolverKind>(solver));

        Assert.Equal(0.0, result.ConversionProbability);
        Assert.All(result.RemovalEffects, x => Assert.Equal(0.0, x));
        Assert.All(result.ValueRemovalEffects, x => Assert.Equal(0.0, x));
        Assert.All(result.Conversions, x => Assert.Equal(0.0, x));
        Assert.All(result.Values, x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void Table_with_value_but_no_conversions_has_zero_removal_effects_and_no_nan()
    {
        // The sum of removal effects is 0: nothing can be shared, and nothing is NaN.
        var table = Tables.Of(("a > b", 0, 12, 5), ("b", 0, 3, 2));
        var result = MarkovModel.Compute(table);

        Assert.Equal(0.0, result.RemovalEffects.Sum());
        Assert.All(result.Conversions, x => Assert.Equal(0.0, x));
        Assert.All(result.Values, x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void Empty_table_gives_empty_results()
    {
        var result = MarkovModel.Compute(Tables.Of(), 2, includeTransitions: true);

        Assert.Empty(result.Channels);
        Assert.Empty(result.Conversions);
        Assert.Empty(result.Values);
        Assert.Equal(0.0, result.ConversionProbability);
        Assert.Empty(result.Transitions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Channel_on_every_converting_path_has_removal_effect_one(int order)
    {
        // Every conversion happens right after a hub touch, so every converting state contains hub.
        var table = Tables.Of(
            ("a > hub", 2, 20, 3),
            ("hub", 1, 7, 4),
            ("b > a > hub", 1, 5, 1),
            ("a > b", 0, 0, 6),
            ("b", 0, 0, 2));
        var result = MarkovModel.Compute(table, order);
        var hub = table.ChannelId("hub");

        Assert.Equal(1.0, result.RemovalEffects[hub]);
        Assert.Equal(1.0, result.ValueRemovalEffects[hub]);
        Assert.True(result.Conversions[hub] > result.Conversions[table.ChannelId("a")]);
        Tables.AssertClose(table.TotalConversions, result.Conversions.Sum(), 1e-14, "conversions");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Channel_seen_only_on_null_paths_gets_exactly_zero_credit(int order)
    {
        // No chain state containing ghost can lead to a conversion (at any order).
        var table = Tables.Of(
            ("a > b", 2, 20, 3),
            ("b > a", 1, 7, 4),
            ("a > ghost", 0, 0, 6),
            ("ghost > ghost > ghost", 0, 0, 2));
        var result = MarkovModel.Compute(table, order);
        var ghost = table.ChannelId("ghost");

        Assert.Equal(0.0, result.RemovalEffects[ghost]);
        Assert.Equal(0.0, result.ValueRemovalEffects[ghost]);
        Assert.Equal(0.0, result.Conversions[ghost]);
        Assert.Equal(0.0, result.Values[ghost]);
        Tables.AssertClose(table.TotalConversions, result.Conversions.Sum(), 1e-14, "conversions");
    }

    [Fact]
    public void Paths_without_journeys_are_ignored()
    {
        var with = Tables.Of(("a > b", 2, 20, 3), ("b", 1, 7, 4), ("c > a", 0, 0, 0));
        var without = Tables.Of(("a > b", 2, 20, 3), ("b", 1, 7, 4));
        var a = MarkovModel.Compute(with);
        var b = MarkovModel.Compute(without);

        Assert.Equal(b.Conversions, a.Conversions[..2]);
        Assert.Equal(0.0, a.Conversions[2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void Long_repeated_channel_paths_are_solved_exactly_by_both_solvers(int order)
    {
        var repeated = string.Join(" > ", Enumerable.Repeat("a", 2000));
        var alternating = string.Join(" > ", Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? "b" : "c"));
        var table = Tables.Of(
            (repeated, 3, 30, 1),
            (alternating, 2, 10, 1),
            (alternating + " > a", 1, 1, 0),
            ("a > b", 0, 0, 5),
            ("c", 1, 2, 2));
        var gs = MarkovModel.Compute(table, order, false, MarkovSolverKind.GaussSeidel);
        var elimination = MarkovModel.Compute(table, order, false, MarkovSolverKind.Elimination);

        var rate = table.TotalConversions / (table.TotalConversions + table.TotalNulls);
        Tables.AssertClose(rate, gs.ConversionProbability, 1e-12, "P (Gauss-Seidel)");
        Tables.AssertClose(rate, elimination.ConversionProbability, 1e-12, "P (elimination)");
        for (var c = 0; c < table.Channels.Count; c++)
        {
            Tables.AssertClose(elimination.RemovalEffects[c], gs.RemovalEffects[c], 1e-10, $"RE({table.Channels[c]})");
            Tables.AssertClose(elimination.Values[c], gs.Values[c], 1e-10, $"value({table.Channels[c]})");
            Assert.True(double.IsFinite(gs.Conversions[c]) && gs.Conversions[c] >= 0);
        }

        Tables.AssertClose(table.TotalConversions, gs.Conversions.Sum(), 1e-13, "conversions");
        Tables.AssertClose(table.TotalValue, gs.Values.Sum(), 1e-13, "value");
    }

    [Fact]
    public void Value_without_any_converting_value_follows_the_conversion_removal_effects()
    {
        // E = 0 (the converting paths carry no value) but the table has value: shared by RE.
        var table = Tables.Of(("a > b", 2, 0, 3), ("b", 1, 0, 4), ("a", 0, 9, 1));
        var result = MarkovModel.Compute(table);

        Assert.Equal(0.0, result.ExpectedValue);
        Tables.AssertClose(9, result.Values.Sum(), 1e-15, "value");
        for (var c = 0; c < 2; c++)
        {
            Tables.AssertClose(result.Conversions[c] / 3 * 9, result.Values[c], 1e-14, table.Channels[c]);
        }
    }

    [Fact]
    public void Transitions_name_states_by_channels_and_each_row_sums_to_one()
    {
        var table = Tables.Of(("alpha > beta > alpha", 1, 3, 2), ("beta", 1, 1, 1), ("alpha > alpha", 0, 0, 2));
        var result = MarkovModel.Compute(table, 2, includeTransitions: true);

        var t = result.Transitions;
        Assert.Contains(t, x => x is { From: "(start)", To: "alpha" });
        Assert.Contains(t, x => x is { From: "alpha", To: "alpha,beta" });
        Assert.Contains(t, x => x is { From: "alpha,beta", To: "beta,alpha" });
        Assert.Contains(t, x => x is { From: "beta,alpha", To: "(conversion)" });
        Assert.Contains(t, x => x is { From: "alpha,alpha", To: "(null)", Probability: 1.0 });
        Assert.DoesNotContain(t, x => x.From is "(conversion)" or "(null)");
        foreach (var row in t.GroupBy(x => x.From))
        {
            Tables.AssertClose(1.0, row.Sum(x => x.Probability), 1e-15, row.Key);
        }

        // (start) -> alpha: 3 + 2 journeys of 7.
        Assert.Equal(5.0 / 7, t.Single(x => x is { From: "(start)", To: "alpha" }).Probability);
    }

    [Fact]
    public void Transitions_are_empty_unless_requested()
    {
        var table = Tables.Of(("a > b", 1, 1, 1));
        Assert.Empty(MarkovModel.Compute(table).Transitions);
        Assert.NotEmpty(MarkovModel.Compute(table, 1, includeTransitions: true).Transitions);
    }

    [Fact]
    public void Order_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkovModel.Compute(Tables.Of(("a", 1, 1, 0)), 0));
    }

    [Fact]
    public void Negative_counts_are_rejected()
    {
        Assert.Throws<Core.Models.ModelInputException>(() => MarkovModel.Compute(Tables.Of(("a", -1, 1, 0))));
        Assert.Throws<Core.Models.ModelInputException>(() => MarkovModel.Compute(Tables.Of(("a", 1, 1, -1))));
    }

    [Fact]
    public void A_path_netting_to_a_refund_lowers_every_channels_value_by_the_value_removal_effects()
    {
        // Paths a and b convert alike; b's sales are outweighed by a refund. The value removal effects
        // come from the paths that net positive (a alone: b carries no value into the chain), and the
        // net value, 100 - 30 = 70, is shared by them.
        var result = MarkovModel.Compute(Tables.Of(("a", 2, 100, 2), ("b", 2, -30, 2)));

        Assert.Equal([0.5, 0.5], result.RemovalEffects.Select(x => Math.Round(x, 12)));
        Assert.Equal([1.0, 0.0], result.ValueRemovalEffects.Select(x => Math.Round(x, 12)));
        Assert.Equal(70, result.Values.Sum(), 9);
        Assert.Equal(70, result.Values[0], 9);
        Assert.Equal(4, result.Conversions.Sum(), 12);
    }

    [Fact]
    public void A_workspace_that_nets_to_a_refund_gets_negative_value_credits_that_sum_to_it()
    {
        var result = MarkovModel.Compute(Tables.Of(("a", 1, 10, 1), ("a>b", 1, -50, 0)));

        Assert.Equal(-40, result.Values.Sum(), 9);
        Assert.All(result.Values, v => Assert.True(v <= 0));
        Assert.Equal(2, result.Conversions.Sum(), 12);
    }

    [Fact]
    public void A_chain_above_the_work_limit_is_refused_before_solving_with_its_figures()
    {
        var table = Tables.Of(("a>b", 1, 10, 1), ("b>c", 1, 5, 2), ("c", 0, 0, 1));

        var error = Assert.Throws<MarkovTooLargeException>(() => MarkovModel.Compute(table, 1, false, maxWork: 1, CancellationToken.None));

        Assert.Equal((1, 3, 4), (error.Order, error.Removals, error.States));
        Assert.True(error.Work > 1);
        Assert.StartsWith("Markov of order 1 over 3 keys needs 3 removal solves on 4 states", error.Message, StringComparison.Ordinal);
        Assert.Equal(MarkovModel.Compute(table).Conversions, MarkovModel.Compute(table, 1, false, maxWork: 1e12, CancellationToken.None).Conversions);
    }

    [Fact]
    public void A_cancelled_token_stops_either_solver()
    {
        var table = Tables.Of(("a>b", 1, 10, 1), ("b>c", 1, 5, 2), ("c", 0, 0, 1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => MarkovModel.Compute(table, 1, false, double.PositiveInfinity, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => MarkovModel.Compute(table, 3, false, double.PositiveInfinity, cancelled.Token));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Many_removals_solved_in_batches_equal_the_elimination(int order)
    {
        // 27 channels: four batches of removals, the last one partial, and every lane of a batch;
        // popular channels that paths revisit make one large cycle, rare ones states of their own.
        var random = new Random(27 + order);
        var builder = new PathTableBuilder();
        for (var c = 0; c < 27; c++)
        {
            builder.Channels.Intern($"ch{c:D2}");
        }

        var path = new List<int>();
        for (var j = 0; j < 4000; j++)
        {
            path.Clear();
            do
            {
                path.Add(path.Count > 0 && random.NextDouble() < 0.25 ? path[^1] : (int)(27 * Math.Pow(random.NextDouble(), 3)));
            }
            while (path.Count < 12 && random.NextDouble() < 0.6);

            var converts = random.NextDouble() < 0.1 + (0.02 * path.Count(c => c % 3 == 0));
            builder.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(path), converts ? 1 : 0, converts ? 10 + (path[0] * 3) : 0, converts ? 0 : 1);
        }

        var table = builder.Build();
        var chain = MarkovChain.Build(table, order);
        Assert.InRange(chain.StateCount, 28, EliminationSolver.MaxStates);

        var gs = MarkovModel.Compute(table, order, false, MarkovSolverKind.GaussSeidel);
        var elimination = MarkovModel.Compute(table, order, false, MarkovSolverKind.Elimination);

        Assert.Equal(27, table.Channels.Count);
        Tables.AssertClose(elimination.ConversionProbability, gs.ConversionProbability, 1e-13, "P");
        Tables.AssertClose(elimination.ExpectedValue, gs.ExpectedValue, 1e-13, "E");
        for (var c = 0; c < table.Channels.Count; c++)
        {
            Assert.True(elimination.RemovalEffects[c] > 0, $"channel {c} is removed");
            Tables.AssertClose(elimination.RemovalEffects[c], gs.RemovalEffects[c], 1e-11, $"RE({table.Channels[c]})");
            Tables.AssertClose(elimination.ValueRemovalEffects[c], gs.ValueRemovalEffects[c], 1e-11, $"value RE({table.Channels[c]})");
        }
    }
}
