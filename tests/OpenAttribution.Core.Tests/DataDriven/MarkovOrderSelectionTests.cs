using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.DataDriven;

public sealed class MarkovOrderSelectionTests
{
    [Fact]
    public void An_outcome_that_depends_on_the_channel_before_the_last_is_found_at_order_2()
    {
        // Every path ends in b; whether it converts depends on the channel before: order 1 sees one
        // end state and cannot tell, order 2 can, and order 3 adds nothing.
        var table = Tables.Of(
            ("a > b", 900, 900, 100),
            ("c > b", 100, 100, 900),
            ("a > a > b", 450, 450, 50),
            ("c > c > b", 50, 50, 450),
            ("b", 300, 300, 300));

        var choice = MarkovOrderSelection.Choose(table, maxOrder: 4);

        Assert.Equal(2, choice.Order);
        Assert.Equal([1, 2, 3, 4], choice.Scores.Select(s => s.Order));
        Assert.Equal(0.5, choice.Scores[0].HeldOutAuc, 12); // one end state: every journey ties
        Assert.True(choice.Scores[1].HeldOutAuc > 0.8, $"order 2 held-out AUC {choice.Scores[1].HeldOutAuc}");
        Assert.Equal([4, 8, 10, 10], choice.Scores.Select(s => s.States)); // (start), a, b, c; then the pairs and triples the paths visit
    }

    [Fact]
    public void An_outcome_that_depends_on_the_last_channel_only_keeps_order_1()
    {
        var table = Tables.Of(
            ("a > b", 800, 0, 200),
            ("c > b", 800, 0, 200),
            ("a > c", 100, 0, 900),
            ("b > c", 100, 0, 900),
            ("b > a", 500, 0, 500),
            ("c > a", 500, 0, 500));

        var choice = MarkovOrderSelection.Choose(table, maxOrder: 3);

        Assert.Equal(1, choice.Order);
        Assert.True(choice.Scores[0].HeldOutAuc > 0.7);
    }

    [Fact]
    public void The_same_seed_gives_the_same_evidence_and_another_seed_other_folds()
    {
        var table = TestData.PathData;
        var first = MarkovOrderSelection.Choose(table, maxOrder: 3, seed: 7);
        var again = MarkovOrderSelection.Choose(table, maxOrder: 3, seed: 7);
        var other = MarkovOrderSelection.Choose(table, maxOrder: 3, seed: 8);

        Assert.Equal(first.Scores, again.Scores);
        Assert.NotEqual(first.Scores.Select(s => s.HeldOutAuc), other.Scores.Select(s => s.HeldOutAuc));
        Assert.Equal(first.Scores.Select(s => s.Auc), other.Scores.Select(s => s.Auc)); // in-sample: no folds
    }

    [Fact]
    public void The_auc_counts_pairs_won_and_ties_half()
    {
        // Converting journeys score 0.5 and 0.9, non-converting 0.1 and 0.5: of 4 pairs, 3 won, 1 tied.
        var auc = MarkovOrderSelection.Auc([0.1, 0.5, 0.9], [0, 1, 1], [1, 1, 0]);

        Assert.Equal(3.5 / 4, auc, 15);
    }

    [Fact]
    public void Without_non_converting_journeys_the_order_cannot_be_chosen()
    {
        var table = Tables.Of(("a > b", 3, 30, 0), ("b", 1, 5, 0));

        var error = Assert.Throws<Core.Models.ModelInputException>(() => MarkovOrderSelection.Choose(table));

        Assert.Contains("total_null", error.Message, StringComparison.Ordinal);
    }
}
