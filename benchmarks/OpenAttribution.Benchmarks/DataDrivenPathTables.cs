using OpenAttribution.Core.Paths;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// Deterministic synthetic path tables for the data-driven model benchmarks. Journeys are drawn
/// from a seeded generator: channel popularity follows a Zipf law, a touch repeats the previous
/// channel with some probability (as real paths do), path lengths are geometric, and the chance
/// to convert grows with each channel's own lift. Journeys with the same path add up, as in a
/// ChannelAttribution path table.
/// </summary>
public static class DataDrivenPathTables
{
    /// <summary>1,000,000 journeys over 12 channels (about 200k distinct paths).</summary>
    public static PathTable Journeys1M() => Generate(journeys: 1_000_000, channels: 12, meanLength: 3.9, maxLength: 40, seed: 20260301);

    /// <summary>300,000 journeys over 500 channels (a long tail of small channels).</summary>
    public static PathTable Channels500() => Generate(journeys: 300_000, channels: 500, meanLength: 3.5, maxLength: 30, seed: 500);

    public static PathTable Generate(int journeys, int channels, double meanLength, int maxLength, int seed)
    {
        var random = new Random(seed);
        var cumulative = new double[channels];
        var lift = new double[channels];
        double sum = 0;
        for (var c = 0; c < channels; c++)
        {
            sum += 1.0 / Math.Pow(c + 1, 1.1);
            cumulative[c] = sum;
            lift[c] = 0.01 + (0.08 * random.NextDouble());
        }

        var names = Enumerable.Range(0, channels).Select(c => $"ch{c:D3}").ToArray();
        var builder = new PathTableBuilder();
        foreach (var name in names)
        {
            builder.Channels.Intern(name);
        }

        var stop = 1.0 / meanLength;
        var path = new List<int>(maxLength);
        for (var j = 0; j < journeys; j++)
        {
            path.Clear();
            var noConversion = 1.0;
            do
            {
                var c = path.Count > 0 && random.NextDouble() < 0.3
                    ? path[^1]
                    : Pick(cumulative, random.NextDouble() * sum);
                path.Add(c);
                noConversion *= 1 - lift[c];
            }
            while (path.Count < maxLength && random.NextDouble() >= stop);

            var converts = random.NextDouble() < 1 - noConversion;
            var value = converts ? Math.Round(Math.Exp(3 + random.NextDouble() * 1.5), 2) : 0;
            builder.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(path), converts ? 1 : 0, value, converts ? 0 : 1);
        }

        return builder.Build();
    }

    private static int Pick(double[] cumulative, double u)
    {
        var i = Array.BinarySearch(cumulative, u);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }
}
