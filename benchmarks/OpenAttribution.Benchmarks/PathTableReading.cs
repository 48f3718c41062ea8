using System.Diagnostics;
using System.Globalization;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// <c>path-read [--file paths.csv] [--times 7]</c>: reading a ChannelAttribution path table in process,
/// against a baseline in the same process that does what a plain script does (every line split on the
/// separator into strings, the numbers parsed, rows with the same path text added up in a dictionary).
/// Without <c>--file</c>, the seeded table of 1,000,000 journeys over 12 channels
/// (<see cref="DataDrivenPathTables.Journeys1M"/>) is written to a temporary file first. Each reader
/// runs <c>--times</c> times, interleaved, after one warm-up run; medians are printed with their ratio.
/// </summary>
internal static class PathTableReading
{
    public static int Run(string[] args)
    {
        var options = HarnessOptions.Parse(args);

        var file = options.GetValueOrDefault("--file") ?? Path.Combine(Path.GetTempPath(), "oa-paths-1m.csv");
        if (!options.ContainsKey("--file") && !File.Exists(file))
        {
            using var writer = new StreamWriter(file);
            PathTableWriter.Write(writer, DataDrivenPathTables.Journeys1M());
        }

        var times = int.Parse(options.GetValueOrDefault("--times", "7"), CultureInfo.InvariantCulture);
        var ours = new List<double>();
        var baseline = new List<double>();
        var rows = 0L;
        var distinct = 0;
        for (var i = 0; i <= times; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var reader = new StreamReader(file))
            {
                var result = PathTableReader.Read(reader);
                rows = result.Rows;
                if (result.Errors.Count > 0)
                {
                    throw new InvalidDataException(result.Errors[0].ToString());
                }
            }

            var a = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            distinct = Baseline(file);
            var b = clock.Elapsed.TotalMilliseconds;
            if (i > 0)
            {
                ours.Add(a);
                baseline.Add(b);
            }
        }

        ours.Sort();
        baseline.Sort();
        var mine = ours[ours.Count / 2];
        var theirs = baseline[baseline.Count / 2];
        Console.WriteLine($"{file}: {new FileInfo(file).Length / 1e6:F1} MB, {rows:N0} rows ({distinct:N0} distinct paths)");
        Console.WriteLine($"PathTableReader.Read: median {mine:F0} ms (min {ours[0]:F0}, max {ours[^1]:F0}, {times} runs)");
        Console.WriteLine($"baseline (split lines into strings, parse, add up by path text): median {theirs:F0} ms (min {baseline[0]:F0}, max {baseline[^1]:F0})");
        Console.WriteLine($"ratio: {theirs / mine:F2}x the baseline's speed");
        return 0;
    }

    /// <summary>What a plain script does with the file; returns the distinct paths.</summary>
    private static int Baseline(string file)
    {
        var sums = new Dictionary<string, (double Conversions, double Value, double Nulls)>(StringComparer.Ordinal);
        using var reader = new StreamReader(file);
        var header = reader.ReadLine()!;
        var separator = header.Contains(';', StringComparison.Ordinal) ? ';' : ',';
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(separator);
            var path = f[0].Trim('"');
            var c = double.Parse(f[1], CultureInfo.InvariantCulture);
            var v = double.Parse(f[2], CultureInfo.InvariantCulture);
            var n = double.Parse(f[3], CultureInfo.InvariantCulture);
            sums[path] = sums.TryGetValue(path, out var s) ? (s.Conversions + c, s.Value + v, s.Nulls + n) : (c, v, n);
        }

        return sums.Count;
    }
}
