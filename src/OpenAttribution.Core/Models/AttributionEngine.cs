using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Models;

/// <summary>
/// Runs many models over one journey set in a single pass: each path is read once and feeds every
/// rule-based model; the data-driven models share one path table.
/// </summary>
public static class AttributionEngine
{
    public static AttributionResult Run(JourneySet set, ModelSpec model, Dimension dimension = Dimension.Channel) =>
        Run(set, [model], dimension)[0];

    public static IReadOnlyList<AttributionResult> Run(JourneySet set, IReadOnlyList<ModelSpec> models, Dimension dimension = Dimension.Channel)
    {
        ArgumentNullException.ThrowIfNull(set);
        var accumulator = new AttributionAccumulator(models, dimension);
        accumulator.Add(set);
        return accumulator.Results();
    }

    /// <summary>Data-driven credit from the path table of all the journeys.</summary>
    internal static AttributionResult RunDataDriven(ModelSpec spec, Paths.PathTable table, Dimension dimension, IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        // The path table's dictionary starts with the dimension's names in the same order.
        var conversions = new double[keys.Count];
        var values = new double[keys.Count];
        double[]? removal = null;
        if (spec.Kind == ModelKind.Markov)
        {
            var markov = MarkovModel.Compute(table, spec.Order, includeTransitions: false, spec.MaxWork, cancellationToken);
            removal = new double[keys.Count];
            Copy(markov.Conversions, conversions);
            Copy(markov.Values, values);
            Copy(markov.RemovalEffects, removal);
        }
        else
        {
            var shapley = ShapleyModel.Compute(table);
            Copy(shapley.Conversions, conversions);
            Copy(shapley.Values, values);
        }

        return new AttributionResult(spec, dimension, [.. keys], conversions, values) { RemovalEffects = removal };

        static void Copy(double[] from, double[] to) => from.AsSpan(0, Math.Min(from.Length, to.Length)).CopyTo(to);
    }

    /// <summary>
    /// Adds the credit of every path of <paramref name="set"/> under each rule-based model to
    /// <paramref name="acc"/> (per model: conversions and value side by side per key,
    /// <c>acc[model][2 * key]</c> and <c>acc[model][2 * key + 1]</c>), path by path in order.
    /// </summary>
    internal static void AddRuleBased(JourneySet set, ModelSpec[] models, CustomMatcher?[] matchers, int[] keys, int none, double[][] acc)
    {
        var m = models.Length;
        var kinds = models.Select(x => x.Kind).ToArray();
        var halfLives = models.Select(x => x.HalfLife.Ticks).ToArray();
        var decay = models.Select(x => x.Kind == ModelKind.TimeDecay && set.HasTimestamps ? new TimeDecayFactors(set.TouchTimes, x.HalfLife.Ticks, set.TimeReference) : null).ToArray();
        var directId = set.DirectId;
        var weights = new double[16];
        var start = set.Start;
        var length = set.Length;
        var counts = set.Counts;
        var values = set.Values;
        var channels = set.TouchChannels;

        for (var j = 0; j < start.Length; j++)
        {
            var n = length[j];
            var count = counts[j];
            var value = values[j];
            if (n == 0)
            {
                for (var i = 0; i < m; i++)
                {
                    acc[i][2 * none] += count;
                    acc[i][(2 * none) + 1] += value;
                }

                continue;
            }

            var s = start[j];
            var pathKeys = keys.AsSpan(s, n);
            if (n > weights.Length)
            {
                weights = new double[Math.Max(n, weights.Length * 2)];
            }

            for (var i = 0; i < m; i++)
            {
                var a = acc[i];
                switch (kinds[i])
                {
                    case ModelKind.FirstTouch:
                        Add(a, pathKeys[0], count, value);
                        break;
                    case ModelKind.LastTouch:
                        Add(a, pathKeys[n - 1], count, value);
                        break;
                    case ModelKind.LastNonDirect:
                        Add(a, pathKeys[RuleWeights.LastNonDirect(channels.AsSpan(s, n), directId)], count, value);
                        break;
                    case ModelKind.Linear:
                        var c = count / n;
                        var v = value / n;
                        foreach (var k in pathKeys)
                        {
                            Add(a, k, c, v);
                        }

                        break;
                    case ModelKind.PositionBased:
                        AddPositionBased(a, pathKeys, count, value, models[i].FirstShare, models[i].LastShare);
                        break;
                    case ModelKind.TimeDecay when decay[i] is { } u:
                        AddTimeDecay(a, pathKeys, u.Get(s, n), count, value, set, j, halfLives[i], weights);
                        break;
                    default:
                        var path = new TouchContext(set, s, n, set.ConversionTimes[j]);
                        var w = weights.AsSpan(0, n);
                        RuleWeights.Compute(models[i], path, w, matchers[i]);
                        for (var t = 0; t < n; t++)
                        {
                            Add(a, pathKeys[t], w[t] * count, w[t] * value);
                        }

                        break;
                }
            }
        }
    }

    private static void AddPositionBased(double[] a, ReadOnlySpan<int> keys, double count, double value, double first, double last)
    {
        var n = keys.Length;
        if (n == 1)
        {
            Add(a, keys[0], count, value);
            return;
        }

        if (n == 2)
        {
            var sum = first + last;
            var f = sum > 0 ? first / sum : 0.5;
            Add(a, keys[0], f * count, f * value);
            Add(a, keys[1], (1 - f) * count, (1 - f) * value);
            return;
        }

        Add(a, keys[0], first * count, first * value);
        Add(a, keys[n - 1], last * count, last * value);
        var middle = (1 - first - last) / (n - 2);
        var c = middle * count;
        var v = middle * value;
        for (var t = 1; t < n - 1; t++)
        {
            Add(a, keys[t], c, v);
        }
    }

    /// <summary>
    /// Time decay from precomputed per-touch factors: weights are the factors normalised over the
    /// path. Falls back to the direct formula where the factors left the safe range of doubles.
    /// </summary>
    private static void AddTimeDecay(double[] a, ReadOnlySpan<int> keys, ReadOnlySpan<double> factors, double count, double value, JourneySet set, int j, long halfLife, double[] weights)
    {
        var n = keys.Length;
        double sum = 0;
        foreach (var f in factors)
        {
            sum += f;
        }

        if (!TimeDecayFactors.IsSafe(factors[n - 1], sum))
        {
            var w = weights.AsSpan(0, n);
            RuleWeights.TimeDecay(new TouchContext(set, set.Start[j], n, set.ConversionTimes[j]), halfLife, w);
            for (var t = 0; t < n; t++)
            {
                Add(a, keys[t], w[t] * count, w[t] * value);
            }

            return;
        }

        var c = count / sum;
        var v = value / sum;
        for (var t = 0; t < n; t++)
        {
            Add(a, keys[t], factors[t] * c, factors[t] * v);
        }
    }

    private static void Add(double[] acc, int key, double conversions, double value)
    {
        acc[2 * key] += conversions;
        acc[(2 * key) + 1] += value;
    }
}
