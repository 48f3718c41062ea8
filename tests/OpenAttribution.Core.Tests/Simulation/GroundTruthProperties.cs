using FsCheck;
using FsCheck.Xunit;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

public class GroundTruthProperties
{
    /// <summary>Any scenario of up to four channels (probabilities in percent), any seed.</summary>
    [Property(MaxTest = 60)]
    public void TheTruthAccountsForEveryConversionTheEventsHold(NonEmptyArray<(byte Reach, byte Lift, byte Closing, bool Early)> channels, byte baseline, int seed)
    {
        var scenario = Scenarios.Of(
            baseline % 101 / 100.0,
            [.. channels.Get.Take(4).Select((c, i) => new ChannelEffect($"c{i}")
            {
                Reach = c.Reach % 101 / 100.0,
                Lift = c.Lift % 101 / 100.0,
                Closing = c.Closing % 101 / 100.0,
                Frequency = 1 + (c.Reach % 3),
                Timing = c.Early ? ExposureTiming.Early : ExposureTiming.Anytime,
            })]);
        var (events, truth) = Scenarios.Run(scenario, 200, seed);

        Assert.True(truth.Overdetermined >= 0);
        Assert.Equal(truth.Conversions, truth.Rows().Sum(r => r.Incremental) + truth.Overdetermined);
        var builder = new EventTableBuilder();
        Assert.Equal(0, CsvEventReader.Read(new StringReader(events), builder).Rejected);
        Assert.Equal(truth.Conversions, JourneyBuilder.Build(builder.Build()).Conversions);
        // A channel that can never fire is never needed.
        foreach (var (channel, i) in scenario.Channels.Select((c, i) => (c, i)))
        {
            if (channel.Lift == 0 || channel.Reach == 0)
            {
                Assert.Equal(0, truth.Channels[i].Incremental);
            }
        }
    }
}
