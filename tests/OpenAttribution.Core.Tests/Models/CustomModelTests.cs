using OpenAttribution.Core.Models;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Models;

public class CustomModelTests
{
    private static readonly OpenAttribution.Core.Journeys.JourneySet Set = Some.Journeys(
        Some.Touch("2026-03-01T00:00:00Z", "u1", null, "Paid Search"),
        Some.Touch("2026-03-08T00:00:00Z", "u1", null, "Email"),
        Some.Touch("2026-03-14T12:00:00Z", "u1", null, "Display"),
        Some.Conversion("2026-03-15T00:00:00Z", "u1", null, 100));

    [Fact]
    public void FactorsMultiplyTheBaseWeightsThenRenormalise()
    {
        var spec = CustomModelReader.Parse("""
            base: linear
            rules:
              - { channel: email, factor: 2 }
              - { position: last, factor: 0 }
            """);
        var r = AttributionEngine.Run(Set, spec);
        // linear 1/3 each; Email x2, Display x0 -> 1/3 : 2/3 : 0.
        Assert.Equal(1.0 / 3, r.Get("Paid Search").Conversions, 12);
        Assert.Equal(2.0 / 3, r.Get("Email").Conversions, 12);
        Assert.Equal(0, r.Get("Display").Conversions, 12);
        Assert.Equal(100, r.TotalValue, 9);
    }

    [Fact]
    public void OnlyTheFirstMatchingRuleApplies()
    {
        var spec = CustomModelReader.Parse("""{"base": "position-based", "rules": [{"position": "first", "factor": 3}, {"channel": "Paid Search", "factor": 0}]}""");
        var r = AttributionEngine.Run(Set, spec);
        // 0.4*3 : 0.2 : 0.4 -> 1.2/1.8, 0.2/1.8, 0.4/1.8
        Assert.Equal(1.2 / 1.8, r.Get("Paid Search").Conversions, 12);
        Assert.Equal(0.2 / 1.8, r.Get("Email").Conversions, 12);
    }

    [Fact]
    public void DaysBeforeConversionRulesUseTheTouchAge()
    {
        var spec = CustomModelReader.Parse("""
            base: linear
            rules:
              - { days_max: 1, factor: 4 }
            """);
        var r = AttributionEngine.Run(Set, spec);
        Assert.Equal(4.0 / 6, r.Get("Display").Conversions, 12);
    }

    [Fact]
    public void WhenEveryWeightBecomesZeroTheBaseWeightsStand()
    {
        var spec = CustomModelReader.Parse("base: last-touch\nrules:\n  - { channel: Display, factor: 0 }\n");
        var r = AttributionEngine.Run(Set, spec);
        Assert.Equal(1, r.Get("Display").Conversions, 12);
    }

    [Fact]
    public void EveryProblemInTheFileIsListedWithRuleKeyAndValue()
    {
        var ex = Assert.Throws<FormatException>(() => CustomModelReader.Parse("""
            base: markovish
            rules:
              - { channel: Email }
              - { factor: abc, position: top }
              - { factor: -1, colour: red }
            """));
        Assert.Contains("base 'markovish'", ex.Message);
        Assert.Contains("rule 1: factor missing", ex.Message);
        Assert.Contains("rule 2: factor 'abc'", ex.Message);
        Assert.Contains("rule 2: position 'top'", ex.Message);
        Assert.Contains("rule 3: unknown key 'colour'", ex.Message);
        Assert.Contains("factor '-1'", ex.Message);
    }
}
