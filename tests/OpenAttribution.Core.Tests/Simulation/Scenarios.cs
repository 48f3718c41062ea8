using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

/// <summary>Small scenarios for tests.</summary>
internal static class Scenarios
{
    public static ChannelEffect Channel(string name, double reach = 1, double lift = 0, double frequency = 1, double closing = 0) =>
        new(name) { Reach = reach, Lift = lift, Frequency = frequency, Closing = closing };

    public static Scenario Of(double baseline, params ChannelEffect[] channels) =>
        new() { Name = "test", Baseline = baseline, Channels = channels };

    public static (string Events, GroundTruth Truth) Run(Scenario scenario, long people, long seed = 1)
    {
        var writer = new StringWriter();
        var truth = Simulator.Run(scenario, people, seed, writer);
        return (writer.ToString(), truth);
    }

    public static long Incremental(this GroundTruth truth, string channel) => truth.Channels.Single(c => c.Channel == channel).Incremental;
}
