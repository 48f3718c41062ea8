using OpenAttribution.Core.Evaluation;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Evaluation;

/// <summary>
/// The built-in scenarios with a fixed seed and 20,000 people: the data-driven models beat last
/// touch where the literature says they should (docs/evaluation.md explains each result).
/// </summary>
public class BuiltInScenarioEvaluationTests
{
    private static readonly ModelSpec[] Models =
        [ModelSpec.Of(ModelKind.LastTouch), ModelSpec.Of(ModelKind.FirstTouch), ModelSpec.Of(ModelKind.Linear), ModelSpec.Of(ModelKind.Markov), ModelSpec.Of(ModelKind.Shapley)];

    private static ModelEvaluation Evaluate(string scenario)
    {
        var writer = new StringWriter();
        var truth = Simulator.Run(BuiltInScenarios.Find(scenario)!, 20_000, 1, writer);
        var builder = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(writer.ToString()), builder);
        var results = AttributionEngine.Run(JourneyBuilder.Build(builder.Build()), Models);
        return ModelEvaluation.Evaluate(truth, results);
    }

    private static double Error(ModelEvaluation e, string model) => e.Scores.Single(s => s.Model == model).Error;

    private static double Share(ModelEvaluation e, string model, string channel) =>
        e.Scores.Single(s => s.Model == model).Shares[e.Channels.ToList().IndexOf(channel)];

    [Fact]
    public void OnTheCloserMarkovAndShapleyBeatLastTouchWhichGivesTheCloserTheMostCredit()
    {
        var e = Evaluate("closer");
        Assert.Equal(0, e.TrueShares[e.Channels.ToList().IndexOf("Brand Search")]);
        Assert.True(Share(e, "last-touch", "Brand Search") > 0.4);
        Assert.True(Share(e, "markov", "Brand Search") < Share(e, "last-touch", "Brand Search") / 2);
        Assert.True(Error(e, "markov") < Error(e, "last-touch") - 0.2);
        Assert.True(Error(e, "shapley") < Error(e, "last-touch") - 0.2);
    }

    [Fact]
    public void OnTheIntroducerShapleyBeatsLastTouchButFirstOrderMarkovDoesNot()
    {
        var e = Evaluate("introducer");
        Assert.Equal("Display", e.Channels[0]);
        Assert.True(Share(e, "last-touch", "Display") < e.TrueShares[0] - 0.1);
        Assert.True(Error(e, "shapley") < Error(e, "last-touch") - 0.1);
        // docs/evaluation.md: a first-order chain forgets that Display came first and credits the busiest channels.
        Assert.True(Error(e, "markov") > Error(e, "last-touch"));
    }

    [Fact]
    public void UnderHeavyDirectMarkovAndShapleyBeatLastTouch()
    {
        var e = Evaluate("direct");
        Assert.True(Error(e, "markov") < Error(e, "last-touch") - 0.1);
        Assert.True(Error(e, "shapley") < Error(e, "last-touch") - 0.1);
    }

    [Fact]
    public void OnTheMixedScenarioMarkovAndShapleyBeatLastTouch()
    {
        var e = Evaluate("mixed");
        Assert.True(Error(e, "markov") < Error(e, "last-touch") - 0.1);
        Assert.True(Error(e, "shapley") < Error(e, "last-touch") - 0.1);
    }

    [Fact]
    public void NoModelSeesThatTheNoiseChannelDoesNothingAndLastTouchErrsLeast()
    {
        var e = Evaluate("noise");
        foreach (var score in e.Scores)
        {
            Assert.True(Share(e, score.Model, "Affiliates") > 0.05, score.Model);
        }

        Assert.Equal("last-touch", e.Scores[0].Model);
    }
}
