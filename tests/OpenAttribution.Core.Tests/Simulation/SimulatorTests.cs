using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

public class SimulatorTests
{
    private static readonly Scenario Mixed = BuiltInScenarios.Find("mixed")!;

    [Fact]
    public void TheSameSeedWritesTheSameEventsAndTruthAndAnotherSeedDoesNot()
    {
        var a = Scenarios.Run(Mixed, 2000, seed: 7);
        var b = Scenarios.Run(Mixed, 2000, seed: 7);
        var c = Scenarios.Run(Mixed, 2000, seed: 8);
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.Truth.Rows(), b.Truth.Rows());
        Assert.NotEqual(a.Events, c.Events);
    }

    [Fact]
    public void ASeedGivesTheseExactEventsOnAnyRuntime()
    {
        // Pins the generator (xoshiro256**, not System.Random) and the order of draws.
        var scenario = Scenarios.Of(0.5, Scenarios.Channel("Email", reach: 0.5, lift: 0.5, frequency: 2), Scenarios.Channel("Brand Search", reach: 0, closing: 0.5));
        var (events, truth) = Scenarios.Run(scenario, 3, seed: 2026);
        Assert.Equal(
            [
                SimulatedEventWriter.Header,
                "s1,2026-02-10T00:10:42Z,p0,touch,Email,",
                "s2,2026-02-13T09:45:55Z,p1,touch,Email,",
                "s3,2026-03-05T17:31:39Z,p1,touch,Email,",
                "s4,2026-03-07T13:44:07Z,p1,touch,Brand Search,",
                "s5,2026-03-07T15:21:30Z,p1,conversion,,purchase",
            ],
            events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        Assert.Equal((1L, 1L, 0L), (truth.Conversions, truth.Incremental("Email"), truth.Baseline));
    }

    [Fact]
    public void EveryEventIsValidAndTheFileHoldsTheTruthsConversions()
    {
        var (events, truth) = Scenarios.Run(Mixed, 3000);
        var builder = new EventTableBuilder();
        var summary = CsvEventReader.Read(new StringReader(events), builder);
        Assert.Equal(0, summary.Rejected);
        Assert.Equal(0, builder.Duplicates);
        var set = JourneyBuilder.Build(builder.Build());
        Assert.Equal(truth.Conversions, set.Conversions);
        Assert.Equal(truth.Conversions, truth.Rows().Sum(r => r.Incremental) + truth.Overdetermined);
    }

    [Fact]
    public void JsonLinesHoldTheSameEventsAsCsv()
    {
        var csv = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(Scenarios.Run(Mixed, 500).Events), csv);
        var writer = new StringWriter();
        Simulator.Run(Mixed, 500, 1, writer, jsonLines: true);
        var json = new EventTableBuilder();
        JsonLinesEventReader.Read(new StringReader(writer.ToString()), json);
        Assert.Empty(json.Errors);
        var a = csv.Build();
        var b = json.Build();
        Assert.Equal(a.Timestamps, b.Timestamps);
        Assert.Equal(a.Channels.Select(c => c < 0 ? null : a.Names.Channels[c]), b.Channels.Select(c => c < 0 ? null : b.Names.Channels[c]));
    }

    [Fact]
    public void SwitchingAChannelOffNeverMakesAnyoneConvertSoonerOrMoreOften()
    {
        var all = (1UL << Mixed.Channels.Count) - 1;
        for (var person = 0; person < 3000; person++)
        {
            var schedule = PersonSchedule.Draw(Mixed, 5, person);
            var converts = schedule.ConversionTime(all);
            for (var c = 0; c < Mixed.Channels.Count; c++)
            {
                Assert.True(schedule.ConversionTime(all & ~(1UL << c)) >= converts, $"person {person}, channel {c}");
            }

            Assert.True(schedule.ConversionTime(0) >= converts);
        }
    }

    [Fact]
    public void ChangingOneChannelLeavesEveryOtherChannelsDrawsAlone()
    {
        var before = Scenarios.Of(0.1, Scenarios.Channel("Email", reach: 0.5, lift: 0.2, frequency: 2), Scenarios.Channel("Display", reach: 0.4, lift: 0.1, frequency: 3));
        var after = before with { Channels = [before.Channels[0] with { Reach = 0.9, Frequency = 5 }, before.Channels[1]] };
        for (var person = 0; person < 500; person++)
        {
            var a = PersonSchedule.Draw(before, 3, person).Exposures.Where(e => e.Channel == 1);
            var b = PersonSchedule.Draw(after, 3, person).Exposures.Where(e => e.Channel == 1);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void EarlyChannelsOnlyAppearInTheFirstFifthOfAJourney()
    {
        var scenario = Scenarios.Of(0, Scenarios.Channel("Display", frequency: 4) with { Timing = ExposureTiming.Early }, Scenarios.Channel("Email", frequency: 4));
        var journey = scenario.JourneyDays * 86_400;
        var lateEmail = false;
        for (var person = 0; person < 500; person++)
        {
            var schedule = PersonSchedule.Draw(scenario, 1, person);
            foreach (var e in schedule.Exposures)
            {
                var at = (e.Time - schedule.Arrival) / journey;
                Assert.InRange(at, 0, e.Channel == 0 ? 0.2 : 1);
                lateEmail |= e.Channel == 1 && at > 0.5;
            }
        }

        Assert.True(lateEmail);
    }

    [Fact]
    public void ALoneChannelConvertsItsReachTimesItsLift()
    {
        // One exposure each, lift 0.3, no baseline: 30% of 20,000 convert, all because of Email (sd ~65).
        var (_, truth) = Scenarios.Run(Scenarios.Of(0, Scenarios.Channel("Email", lift: 0.3)), 20_000);
        Assert.InRange(truth.Conversions, 5800, 6200);
        Assert.Equal(truth.Conversions, truth.Incremental("Email"));
    }

    [Fact]
    public void RepeatExposuresDiminishByTheRepeatLift()
    {
        // Frequency 2: exposure counts are geometric with mean 2; the k-th exposure's lift is 0.2 * 0.5^(k-1).
        var scenario = Scenarios.Of(0, Scenarios.Channel("Email", lift: 0.2, frequency: 2) with { RepeatLift = 0.5 });
        var counts = new int[4];
        for (var person = 0; person < 4000; person++)
        {
            var exposures = PersonSchedule.Draw(scenario, 9, person).Exposures;
            counts[Math.Min(exposures.Length, 3)]++;
            for (var k = 0; k < exposures.Length; k++)
            {
                Assert.Equal(0.2 * Math.Pow(0.5, k), exposures[k].Lift, 12);
            }
        }

        Assert.Equal(0, counts[0]);
        Assert.InRange(counts[1], 1850, 2150);
        Assert.InRange(counts[2], 850, 1150);
    }

    [Fact]
    public void AnInvalidScenarioIsRefusedNamingEveryBadField()
    {
        var bad = Scenarios.Of(1.5, Scenarios.Channel("Email", lift: -0.1), Scenarios.Channel("Email", frequency: 0.5));
        var ex = Assert.Throws<ArgumentException>(() => Simulator.Run(bad, 10, 1, new StringWriter()));
        Assert.Contains("baseline '1.5'", ex.Message);
        Assert.Contains("channels[1].lift '-0.1'", ex.Message);
        Assert.Contains("channels[2].name 'Email': named twice", ex.Message);
        Assert.Contains("channels[2].frequency '0.5'", ex.Message);
    }
}
