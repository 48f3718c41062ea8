using System.Globalization;

namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Simulates people meeting a scenario's channels and writes their events (spec section 1), while
/// counting the ground truth by re-deciding every person's conversion from the same draws with
/// each channel switched off, and with all of them off. Deterministic for a seed; no clock, no files.
/// </summary>
public static class Simulator
{
    /// <summary>Writes the events of <paramref name="people"/> people and returns the ground truth.</summary>
    public static GroundTruth Run(Scenario scenario, long people, long seed, TextWriter events, bool jsonLines = false)
    {
        var problems = scenario.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(scenario));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(people);
        var channels = scenario.Channels;
        var truth = new TruthCounter(channels.Select(c => c.Name).ToList());
        var writer = new SimulatedEventWriter(events, jsonLines, scenario.Start);
        var touches = new List<(double Time, int Channel)>();
        for (long person = 0; person < people; person++)
        {
            var schedule = PersonSchedule.Draw(scenario, seed, person);
            var converts = truth.Add(schedule);
            var converted = double.IsFinite(converts);

            touches.Clear();
            foreach (var e in schedule.Exposures)
            {
                if (e.Time < converts)
                {
                    touches.Add((e.Time, e.Channel));
                }
            }

            if (converted)
            {
                for (var c = 0; c < channels.Count; c++)
                {
                    if (!double.IsNaN(schedule.ClosingOffsets[c]))
                    {
                        touches.Add((converts - schedule.ClosingOffsets[c], c));
                    }
                }
            }

            if (touches.Count == 0 && !converted)
            {
                continue;
            }

            touches.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Channel.CompareTo(b.Channel));
            var id = "p" + person.ToString(CultureInfo.InvariantCulture);
            foreach (var (time, c) in touches)
            {
                writer.Touch(id, time, channels[c].Name);
            }

            if (converted)
            {
                writer.Conversion(id, converts);
            }
        }

        events.Flush();
        return truth.Result();
    }
}
