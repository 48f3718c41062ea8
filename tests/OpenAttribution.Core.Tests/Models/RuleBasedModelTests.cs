using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Models;

public class RuleBasedModelTests
{
    private static readonly JourneySet ThreeTouches = Some.Journeys(
        Some.Touch("2026-03-01T00:00:00Z", "u1", null, "Paid Search"),
        Some.Touch("2026-03-08T00:00:00Z", "u1", null, "Email"),
        Some.Touch("2026-03-15T00:00:00Z", "u1", null, "Direct"),
        Some.Conversion("2026-03-15T00:00:00Z", "u1", null, 100));

    private static AttributionResult Run(JourneySet set, ModelSpec model, Dimension dimension = Dimension.Channel) =>
        AttributionEngine.Run(set, model, dimension);

    [Fact]
    public void FirstTouchCreditsTheFirstTouch()
    {
        var r = Run(ThreeTouches, ModelSpec.Of(ModelKind.FirstTouch));
        Assert.Equal(new CreditRow("Paid Search", 1, 100), Assert.Single(r.Rows()));
    }

    [Fact]
    public void LastTouchCreditsTheLastTouch()
    {
        var r = Run(ThreeTouches, ModelSpec.Of(ModelKind.LastTouch));
        Assert.Equal(new CreditRow("Direct", 1, 100), Assert.Single(r.Rows()));
    }

    [Fact]
    public void LastNonDirectSkipsTrailingDirect()
    {
        var r = Run(ThreeTouches, ModelSpec.Of(ModelKind.LastNonDirect));
        Assert.Equal(new CreditRow("Email", 1, 100), Assert.Single(r.Rows()));
    }

    [Fact]
    public void LastNonDirectOnAnAllDirectPathCreditsTheLastTouch()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T00:00:00Z", "u1", null, "Direct"),
            Some.Touch("2026-03-02T00:00:00Z", "u1", null, "Direct"),
            Some.Conversion("2026-03-03T00:00:00Z", "u1", null, 10));
        var r = Run(set, ModelSpec.Of(ModelKind.LastNonDirect));
        Assert.Equal(new CreditRow("Direct", 1, 10), Assert.Single(r.Rows()));
    }

    [Fact]
    public void LinearSharesEqually()
    {
        var r = Run(ThreeTouches, ModelSpec.Of(ModelKind.Linear));
        Assert.All(r.Rows(), row => Assert.Equal(1.0 / 3, row.Conversions, 12));
        Assert.All(r.Rows(), row => Assert.Equal(100.0 / 3, row.Value, 10));
    }

    [Fact]
    public void TimeDecayHalvesTheWeightPerHalfLife()
    {
        // Touches 14, 7 and 0 days before: weights 1/4, 1/2, 1 -> 1/7, 2/7, 4/7.
        var r = Run(ThreeTouches, ModelSpec.Of(ModelKind.TimeDecay));
        Assert.Equal(1.0 / 7, r.Get("Paid Search").Conversions, 12);
        Assert.Equal(2.0 / 7, r.Get("Email").Conversions, 12);
        Assert.Equal(4.0 / 7, r.Get("Direct").Conversions, 12);
    }

    [Fact]
    public void TimeDecayUsesFractionalDaysAndTheConfiguredHalfLife()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T00:00:00Z", "u1", null, "A"),
            Some.Touch("2026-03-01T12:00:00Z", "u1", null, "B"),
            Some.Conversion("2026-03-02T00:00:00Z", "u1", null, 0));
        var r = Run(set, new ModelSpec(ModelKind.TimeDecay) { HalfLife = TimeSpan.FromHours(12) });
        Assert.Equal(1.0 / 3, r.Get("A").Conversions, 12);
        Assert.Equal(2.0 / 3, r.Get("B").Conversions, 12);
    }

    [Fact]
    public void TimeDecayOnTouchesYearsApartDoesNotUnderflow()
    {
        var set = Some.Journeys(
            new JourneyOptions { Lookback = TimeSpan.FromDays(36500) },
            Some.Touch("2000-03-01T00:00:00Z", "u1", null, "A"),
            Some.Touch("2026-03-01T00:00:00Z", "u1", null, "B"),
            Some.Conversion("2026-03-02T00:00:00Z", "u1", null, 0));
        var r = Run(set, new ModelSpec(ModelKind.TimeDecay) { HalfLife = TimeSpan.FromHours(1) });
        Assert.Equal(1.0, r.Get("B").Conversions, 12);
        Assert.Equal(0.0, r.Get("A").Conversions, 12);
    }

    [Theory]
    [InlineData(1, new[] { 1.0 })]
    [InlineData(2, new[] { 0.5, 0.5 })]
    [InlineData(3, new[] { 0.4, 0.2, 0.4 })]
    [InlineData(4, new[] { 0.4, 0.1, 0.1, 0.4 })]
    public void PositionBasedGivesFortyTwentyForty(int n, double[] expected)
    {
        var w = new double[n];
        RuleWeights.PositionBased(n, 0.4, 0.4, w);
        Assert.Equal(expected, w, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void PositionBasedSharesAreConfigurable()
    {
        var r = Run(ThreeTouches, new ModelSpec(ModelKind.PositionBased) { FirstShare = 0.3, LastShare = 0.6 });
        Assert.Equal(0.3, r.Get("Paid Search").Conversions, 12);
        Assert.Equal(0.1, r.Get("Email").Conversions, 12);
        Assert.Equal(0.6, r.Get("Direct").Conversions, 12);
    }

    [Fact]
    public void AConversionWithoutTouchesIsCreditedToNoneByEveryModel()
    {
        var set = Some.Journeys(Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 7));
        foreach (var kind in ModelNames.RuleBased)
        {
            var r = Run(set, ModelSpec.Of(kind));
            Assert.Equal(new CreditRow("(none)", 1, 7), Assert.Single(r.Rows()));
        }
    }

    [Fact]
    public void ReportsBySourceMediumAndCampaignUseTheTouchFields()
    {
        var set = Some.Journeys(
            ",2026-03-01T00:00:00Z,u1,,touch,,google,cpc,brand,,,,,,",
            ",2026-03-02T00:00:00Z,u1,,touch,,newsletter,email,spring,,,,,,",
            Some.Conversion("2026-03-03T00:00:00Z", "u1", null, 10));
        Assert.Equal("google", Assert.Single(Run(set, ModelSpec.Of(ModelKind.FirstTouch), Dimension.Source).Rows()).Key);
        Assert.Equal("email", Assert.Single(Run(set, ModelSpec.Of(ModelKind.LastTouch), Dimension.Medium).Rows()).Key);
        Assert.Equal("spring", Assert.Single(Run(set, ModelSpec.Of(ModelKind.LastTouch), Dimension.Campaign).Rows()).Key);
        Assert.Equal("Paid Search", Assert.Single(Run(set, ModelSpec.Of(ModelKind.FirstTouch)).Rows()).Key);
    }

    [Fact]
    public void RowsAreSortedByConversionsThenName()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T00:00:00Z", "u1", null, "B"),
            Some.Conversion("2026-03-02T00:00:00Z", "u1", null, 1),
            Some.Touch("2026-03-01T00:00:00Z", "u2", null, "A"),
            Some.Conversion("2026-03-02T00:00:00Z", "u2", null, 1),
            Some.Touch("2026-03-01T00:00:00Z", "u3", null, "C"),
            Some.Conversion("2026-03-02T00:00:00Z", "u3", null, 1),
            Some.Conversion("2026-03-02T00:00:00Z", "u4", null, 1),
            Some.Touch("2026-03-01T00:00:00Z", "u4", null, "C"));
        Assert.Equal(["C", "A", "B"], Run(set, ModelSpec.Of(ModelKind.LastTouch)).Rows().Select(r => r.Key));
    }

    [Fact]
    public void OnePassOverManyModelsEqualsEachModelAlone()
    {
        var models = ModelNames.RuleBased.Select(ModelSpec.Of).ToList();
        var together = AttributionEngine.Run(ThreeTouches, models);
        for (var m = 0; m < models.Count; m++)
        {
            Assert.Equal(Run(ThreeTouches, models[m]).Rows(), together[m].Rows());
        }
    }

    [Fact]
    public void TimeDecayOnAPathTableIsRefusedWithAReason()
    {
        var builder = new OpenAttribution.Core.Paths.PathTableBuilder();
        builder.Add(["A"], 1, 1, 0);
        var set = PathTableJourneys.ToJourneys(builder.Build());
        var ex = Assert.Throws<ModelInputException>(() => Run(set, ModelSpec.Of(ModelKind.TimeDecay)));
        Assert.Contains("timestamps", ex.Message);
    }

    internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
