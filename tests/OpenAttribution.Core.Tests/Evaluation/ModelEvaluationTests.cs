using OpenAttribution.Core.Evaluation;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Evaluation;

public class ModelEvaluationTests
{
    private static readonly GroundTruth Truth = new(5, 1, [new ChannelTruth("Email", 3), new ChannelTruth("Display", 1)]);

    private static AttributionResult Credit(ModelKind model, params (string Channel, double Conversions)[] rows) =>
        new(ModelSpec.Of(model), Dimension.Channel, rows.Select(r => r.Channel).ToList(), rows.Select(r => r.Conversions).ToArray(), new double[rows.Length]);

    [Fact]
    public void ErrorsAreTotalAbsoluteShareDifferencesWithDirectAndNoneAsTheBaselineBestFirst()
    {
        var lastTouch = Credit(ModelKind.LastTouch, ("Email", 2), ("Display", 0), ("Direct", 2), ("(none)", 1));
        var linear = Credit(ModelKind.Linear, ("Email", 3), ("Display", 1), ("(none)", 1));
        var evaluation = ModelEvaluation.Evaluate(Truth, [lastTouch, linear]);

        // True shares: Email 3/5, baseline 1/5, Display 1/5 (ties by name).
        Assert.Equal(["Email", ModelEvaluation.PooledKey, "Display"], evaluation.Channels);
        Assert.Equal([0.6, 0.2, 0.2], evaluation.TrueShares);
        Assert.Equal(["linear", "last-touch"], evaluation.Scores.Select(s => s.Model));
        Assert.Equal(0, evaluation.Scores[0].Error, 12);
        // Last touch: Email 2/5, Direct + (none) 3/5, Display 0: |0.4-0.6| + |0.6-0.2| + |0-0.2| = 0.8.
        Assert.Equal([0.4, 0.6, 0], evaluation.Scores[1].Shares);
        Assert.Equal(0.8, evaluation.Scores[1].Error, 12);
    }

    [Fact]
    public void WithoutDirectTrafficTheBaselineRowIsNone()
    {
        var evaluation = ModelEvaluation.Evaluate(Truth, [Credit(ModelKind.FirstTouch, ("Email", 4), ("Paid Social", 1))]);
        Assert.Equal(["Email", "(none)", "Display", "Paid Social"], evaluation.Channels);
        // |0.8-0.6| + |0-0.2| + |0-0.2| + |0.2-0| = 0.8
        Assert.Equal(0.8, evaluation.Scores[0].Error, 12);
    }

    [Fact]
    public void ATruthWithNothingAssignedIsRefused()
    {
        var ex = Assert.Throws<Core.Models.ModelInputException>(() => ModelEvaluation.Evaluate(new GroundTruth(3, 0, [new ChannelTruth("Email", 0)]), []));
        Assert.Contains("nothing to compare against", ex.Message);
    }
}
