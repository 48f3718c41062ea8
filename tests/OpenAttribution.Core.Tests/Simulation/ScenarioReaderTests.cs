using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

public class ScenarioReaderTests
{
    [Fact]
    public void YamlSetsEveryField()
    {
        var scenario = ScenarioReader.Parse("""
            name: spring
            description: Spring sale
            baseline: 0.02
            days: 10
            journey_days: 14
            closing_hours: 1
            start: 2026-03-01
            channels:
              - name: Display
                reach: 0.6
                frequency: 2
                lift: 0.04
                repeat_lift: 0.8
                timing: early
                delay_days: 8
              - name: Brand Search
                closing: 0.5
            """);
        Assert.Equal(("spring", "Spring sale", 0.02, 10.0, 14.0, 1.0), (scenario.Name, scenario.Description, scenario.Baseline, scenario.Days, scenario.JourneyDays, scenario.ClosingHours));
        Assert.Equal(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), scenario.Start);
        Assert.Equal(
            new ChannelEffect("Display") { Reach = 0.6, Frequency = 2, Lift = 0.04, RepeatLift = 0.8, Timing = ExposureTiming.Early, DelayDays = 8 },
            scenario.Channels[0]);
        Assert.Equal(new ChannelEffect("Brand Search") { Closing = 0.5 }, scenario.Channels[1]);
    }

    [Fact]
    public void JsonIsReadToo()
    {
        var scenario = ScenarioReader.Parse("""{"baseline": 0.01, "channels": [{"name": "Email", "reach": 0.3, "lift": 0.02}]}""");
        Assert.Equal(0.01, scenario.Baseline);
        Assert.Equal(new ChannelEffect("Email") { Reach = 0.3, Lift = 0.02 }, Assert.Single(scenario.Channels));
    }

    [Fact]
    public void EveryProblemIsListedWithItsLineFieldAndValue()
    {
        var ex = Assert.Throws<FormatException>(() => ScenarioReader.Parse("""
            baseline: lots
            channels:
              - name: Email
                reach: 1.5
                timing: late
                lfit: 0.2
              - reach: 0.2
            """));
        Assert.Contains("line 1: baseline 'lots': not a number", ex.Message);
        Assert.Contains("line 4: channels[1].reach '1.5': must be a probability between 0 and 1 (channel Email)", ex.Message);
        Assert.Contains("line 5: channels[1].timing 'late': use anytime or early", ex.Message);
        Assert.Contains("line 6: channels[1].lfit: unknown field", ex.Message);
        Assert.Contains("line 7: channels[2].name '': needs a name", ex.Message);
    }

    [Fact]
    public void ScenarioWithoutChannelsIsRefused()
    {
        var ex = Assert.Throws<FormatException>(() => ScenarioReader.Parse("baseline: 0.1"));
        Assert.Contains("channels: name at least one channel", ex.Message);
    }

    [Fact]
    public void EveryBuiltInScenarioIsValidAndHasItsBiasingChannel()
    {
        foreach (var scenario in BuiltInScenarios.All)
        {
            Assert.Empty(scenario.Validate());
        }

        Assert.Contains(BuiltInScenarios.Find("closer")!.Channels, c => c.Reach == 0 && c.Closing > 0);
        Assert.Contains(BuiltInScenarios.Find("introducer")!.Channels, c => c.Timing == ExposureTiming.Early && c.Lift > 0);
        Assert.Contains(BuiltInScenarios.Find("noise")!.Channels, c => c.Reach >= 0.5 && c.Lift == 0);
        Assert.Contains(BuiltInScenarios.Find("direct")!.Channels, c => c.Name == "Direct" && c.Lift == 0);
    }
}
