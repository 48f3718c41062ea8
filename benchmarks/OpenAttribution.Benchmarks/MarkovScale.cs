using System.Diagnostics;
using System.Globalization;
using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// <c>markov-scale [--channels 300] [--journeys 300000] [--orders 1,2,3] [--check 12]</c>: Markov removal
/// effects over many channels (campaigns), the model against a baseline in the same process.
/// <para>
/// The baseline is an independent solve written here from the path table alone: its own chain (states
/// as strings in a dictionary), then for each removal a plain scalar Gauss-Seidel from zero in state
/// order until three sweeps in a row change nothing by more than 1e-16 of the largest value, one removal after another (the method the model used before
/// removals were batched). It runs on <c>--check</c> channels (the largest and the smallest removal
/// effects), so its time for every removal is projected from those; its removal effects are the
/// accuracy reference.
/// </para>
/// </summary>
internal static class MarkovScale
{
    public static int Run(string[] args)
    {
        var options = HarnessOptions.Parse(args);

        var channels = int.Parse(options.GetValueOrDefault("--channels", "300"), CultureInfo.InvariantCulture);
        var journeys = int.Parse(options.GetValueOrDefault("--journeys", "300000"), CultureInfo.InvariantCulture);
        var check = int.Parse(options.GetValueOrDefault("--check", "12"), CultureInfo.InvariantCulture);
        var orders = options.GetValueOrDefault("--orders", "1,2,3").Split(',').Select(o => int.Parse(o, CultureInfo.InvariantCulture)).ToArray();
        var table = DataDrivenPathTables.Generate(journeys, channels, meanLength: 3.5, maxLength: 30, seed: channels);
        Console.WriteLine($"{journeys:N0} journeys over {channels} channels: {table.Count:N0} distinct paths, {table.TotalConversions:N0} conversions");
        Console.WriteLine();
        Console.WriteLine("| order | states | model | baseline (projected) | ratio | max relative error of RE, checked channels | peak working set |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var order in orders)
        {
            var clock = Stopwatch.StartNew();
            var result = MarkovModel.Compute(table, order);
            var model = clock.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;

            var sample = Enumerable.Range(0, channels)
                .Where(c => result.RemovalEffects[c] > 0)
                .OrderByDescending(c => result.RemovalEffects[c])
                .ToList();
            var picked = sample.Take(check / 2).Concat(sample.Skip(Math.Max(check / 2, sample.Count - (check - (check / 2))))).Distinct().ToArray();
            clock.Restart();
            var reference = new IndependentChain(table, order);
            var build = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var p = reference.Probability(-1);
            var error = Math.Abs(p - result.ConversionProbability) / p;
            foreach (var c in picked)
            {
                var effect = 1 - (reference.Probability(c) / p);
                error = Math.Max(error, Math.Abs(effect - result.RemovalEffects[c]) / effect);
            }

            var perSolve = clock.Elapsed.TotalSeconds / (picked.Length + 1);
            var baseline = build + (perSolve * (sample.Count + 1));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {order} | {result.StateCount:N0} | {model:F2} s | {baseline:F1} s ({picked.Length} of {sample.Count} removals timed) | {baseline / model:F1}x | {error:E1} | {peak / (1 << 20):N0} MB |"));
        }

        return 0;
    }

    /// <summary>The order-k chain of a path table, built and solved without the model's code.</summary>
    private sealed class IndependentChain
    {
        private readonly List<string> _names = [];
        private readonly List<int[]> _tuples = [];
        private readonly List<Dictionary<int, double>> _out = [];
        private readonly List<double> _conversions = [];
        private readonly List<double> _ends = [];
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private int[]? _rowStart;
        private int[]? _to;
        private double[]? _weight;
        private double[]? _leave;

        public IndependentChain(PathTable table, int order)
        {
            Id([]);
            for (var p = 0; p < table.Count; p++)
            {
                var weight = table.Conversions[p] + table.Nulls[p];
                var path = table.Path(p).ToArray().Where(c => table.Channels[c] != "(none)").ToArray();
                if (!(weight > 0) || path.Length == 0)
                {
                    continue;
                }

                var state = 0;
                for (var i = 0; i < path.Length; i++)
                {
                    var next = Id(path[Math.Max(0, i + 1 - order)..(i + 1)]);
                    _out[state][next] = _out[state].GetValueOrDefault(next) + weight;
                    state = next;
                }

                _conversions[state] += table.Conversions[p];
                _ends[state] += weight;
            }
        }

        /// <summary>P of conversion from (start), with the states containing <paramref name="removed"/> sent to (null).</summary>
        public double Probability(int removed)
        {
            var n = _tuples.Count;
            if (_rowStart is null)
            {
                // Compressed rows without self-loops; the self-loop only leaves the pivot.
                _rowStart = new int[n + 1];
                _leave = new double[n];
                var to = new List<int>();
                var weight = new List<double>();
                for (var s = 0; s < n; s++)
                {
                    _leave[s] = _ends[s];
                    foreach (var (t, w) in _out[s])
                    {
                        if (t != s)
                        {
                            _leave[s] += w;
                            to.Add(t);
                            weight.Add(w);
                        }
                    }

                    _rowStart[s + 1] = to.Count;
                }

                _to = [.. to];
                _weight = [.. weight];
            }

            var x = new double[n];
            var dead = _tuples.Select(t => Array.IndexOf(t, removed) >= 0).ToArray();
            var quiet = 0;
            for (var sweep = 0; sweep < 10_000 && quiet < 3; sweep++)
            {
                double change = 0, scale = 0;
                for (var s = n - 1; s >= 0; s--)
                {
                    if (dead[s])
                    {
                        continue;
                    }

                    var sum = _conversions[s];
                    for (var i = _rowStart[s]; i < _rowStart[s + 1]; i++)
                    {
                        sum += _weight![i] * x[_to![i]];
                    }

                    var value = sum / _leave![s];
                    change = Math.Max(change, Math.Abs(value - x[s]));
                    scale = Math.Max(scale, value);
                    x[s] = value;
                }

                quiet = change <= 1e-16 * scale ? quiet + 1 : 0;
            }

            return x[0];
        }

        private int Id(int[] tuple)
        {
            var name = string.Join(",", tuple);
            if (!_ids.TryGetValue(name, out var id))
            {
                id = _names.Count;
                _ids.Add(name, id);
                _names.Add(name);
                _tuples.Add(tuple);
                _out.Add([]);
                _conversions.Add(0);
                _ends.Add(0);
            }

            return id;
        }
    }
}
