using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Benchmarks;

/// <summary>Columnar journeys built straight in memory: the input of the model benchmarks.</summary>
internal static class SyntheticJourneys
{
    public static readonly string[] ChannelNames =
        ["Direct", "Organic Search", "Paid Search", "Email", "Paid Social", "Organic Social", "Display", "Referral", "Affiliates", "SMS", "Paid Video", "Unassigned"];

    /// <summary>About <paramref name="touches"/> touches in paths of 1 to 12 touches within 30 days.</summary>
    public static JourneySet Create(int touches, int seed = 1)
    {
        var random = new Random(seed);
        var names = new Dimensions();
        foreach (var c in ChannelNames)
        {
            names.Channels.Intern(c);
            names.Sources.Intern(c.ToLowerInvariant());
        }

        var times = new long[touches];
        var channels = new int[touches];
        var sources = new int[touches];
        var start = new List<int>();
        var length = new List<int>();
        var convTimes = new List<long>();
        var values = new List<double>();
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var i = 0;
        while (i < touches)
        {
            var n = Math.Min(touches - i, 1 + (int)(-Math.Log(1 - random.NextDouble()) * 3));
            n = Math.Min(n, 12);
            var conversion = t0 + (long)(random.NextDouble() * 300 * TimeSpan.TicksPerDay);
            var offsets = new long[n];
            for (var k = 0; k < n; k++)
            {
                offsets[k] = (long)(random.NextDouble() * 29.9 * TimeSpan.TicksPerDay);
            }

            Array.Sort(offsets);
            Array.Reverse(offsets);
            start.Add(i);
            length.Add(n);
            convTimes.Add(conversion);
            values.Add(Math.Round(random.NextDouble() * 200, 2));
            for (var k = 0; k < n; k++)
            {
                times[i] = conversion - offsets[k];
                // Skewed channel mix, Direct frequent.
                var c = (int)Math.Min(ChannelNames.Length - 1, -Math.Log(1 - random.NextDouble()) * 3);
                channels[i] = c;
                sources[i] = c;
                i++;
            }
        }

        var counts = new double[start.Count];
        Array.Fill(counts, 1.0);
        return new JourneySet(names, true, times, channels, sources, sources, sources,
            [.. start], [.. length], [.. convTimes], counts, [.. values], [], [], []);
    }
}
