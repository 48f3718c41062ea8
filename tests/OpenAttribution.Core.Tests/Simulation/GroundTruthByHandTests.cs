using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

/// <summary>The truth on schedules and scenarios small enough to work out by hand.</summary>
public class GroundTruthByHandTests
{
    private const double Day = 86_400;
    private const int Display = 0;
    private const int Email = 1;
    private const double Never = double.PositiveInfinity;

    private static Exposure Shown(int channel, double day, bool fires, double delayDays) =>
        new(channel, day * Day, 0.5, fires ? 0.3 : 0.9, delayDays * Day);

    private static PersonSchedule Person(double baselineDay, params Exposure[] exposures) =>
        new(0, baselineDay * Day, exposures, [double.NaN, double.NaN]);

    [Fact]
    public void FourPeopleWorkedOutByHand()
    {
        var counter = new TruthCounter(["Display", "Email"]);
        // 1: only Email fires (day 1 + 1): lost without Email.
        counter.Add(Person(Never, Shown(Display, 0, false, 1), Shown(Email, 1, true, 1)));
        // 2: Display (day 0 + 5) and Email (day 1 + 1) both fire: each alone is enough, so neither is needed.
        counter.Add(Person(Never, Shown(Display, 0, true, 5), Shown(Email, 1, true, 1)));
        // 3: Display fires (day 0 + 1) but the person buys on their own on day 3 anyway: baseline.
        counter.Add(Person(3, Shown(Display, 0, true, 1)));
        // 4: nothing fires: no conversion.
        counter.Add(Person(Never, Shown(Display, 0, false, 1), Shown(Email, 2, false, 1)));

        var truth = counter.Result();
        Assert.Equal(3, truth.Conversions);
        Assert.Equal(0, truth.Incremental("Display"));
        Assert.Equal(1, truth.Incremental("Email"));
        Assert.Equal(1, truth.Baseline);
        Assert.Equal(1, truth.Overdetermined);
        Assert.Equal(0.5, truth.Share(truth.Incremental("Email")));
        Assert.Equal(0.5, truth.Share(truth.Baseline));
    }

    [Fact]
    public void ThePersonConvertsAtTheEarliestFiringExposurePlusItsDelay()
    {
        // Display fires on day 0 with a 5-day delay; Email fires on day 1 with a 1-day delay: day 2 wins.
        var person = Person(Never, Shown(Display, 0, true, 5), Shown(Email, 1, true, 1));
        Assert.Equal(2 * Day, person.ConversionTime(0b11));
        Assert.Equal(5 * Day, person.ConversionTime(1UL << Display));
        Assert.Equal(2 * Day, person.ConversionTime(1UL << Email));
        Assert.Equal(Never, person.ConversionTime(0));
    }

    [Fact]
    public void ChannelsThatAreOnlyEverEnoughTogetherWithTheBaselineAreNotIncremental()
    {
        // Deterministic: lift 1 always fires, lift 0 never does, reach 1 reaches everyone, whatever the draws.
        var (_, truth) = Scenarios.Run(Scenarios.Of(1, Scenarios.Channel("Email", lift: 1)), 7);
        Assert.Equal(7, truth.Conversions);
        Assert.Equal(7, truth.Baseline);
        Assert.Equal(0, truth.Incremental("Email"));
    }

    [Fact]
    public void TwoChannelsThatAreEachEnoughAreBothNotIncrementalAndTheConversionsAreOverdetermined()
    {
        var (_, truth) = Scenarios.Run(Scenarios.Of(0, Scenarios.Channel("Email", lift: 1), Scenarios.Channel("Display", lift: 1)), 6);
        Assert.Equal(6, truth.Conversions);
        Assert.Equal(0, truth.Incremental("Email"));
        Assert.Equal(0, truth.Incremental("Display"));
        Assert.Equal(6, truth.Overdetermined);
    }

    [Fact]
    public void TheOnlyCausalChannelGetsEveryConversionAndTheCloserAndTheNoiseGetNone()
    {
        var scenario = Scenarios.Of(
            0,
            Scenarios.Channel("Paid Search", lift: 1),
            Scenarios.Channel("Affiliates", lift: 0, frequency: 3),
            Scenarios.Channel("Brand Search", reach: 0, closing: 1));
        var (events, truth) = Scenarios.Run(scenario, 5);

        Assert.Equal(5, truth.Conversions);
        Assert.Equal(5, truth.Incremental("Paid Search"));
        Assert.Equal(0, truth.Incremental("Affiliates"));
        Assert.Equal(0, truth.Incremental("Brand Search"));
        Assert.Equal(0, truth.Baseline);

        // Every person: their events end with the Brand Search visit, then the purchase.
        var rows = events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var person in rows.GroupBy(r => r[2]))
        {
            var list = person.ToList();
            Assert.Equal(("conversion", "purchase"), (list[^1][3], list[^1][5]));
            Assert.Equal("Brand Search", list[^2][4]);
            Assert.Contains(list, r => r[4] == "Paid Search");
        }
    }
}
