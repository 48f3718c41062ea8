using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Evaluation;

/// <summary>
/// Every model's credit shares beside the true shares of a simulation, scored by total absolute
/// error and sorted best first. Direct and "(none)" are one row on both sides: a model's credit to
/// Direct or to conversions with no touch says "this would have happened anyway", which is what the
/// truth's baseline is (docs/evaluation.md).
/// </summary>
public sealed class ModelEvaluation
{
    /// <summary>The pooled row when there is Direct traffic.</summary>
    public const string PooledKey = "Direct + (none)";

    private ModelEvaluation(IReadOnlyList<string> channels, double[] trueShares, double[] trueConversions, IReadOnlyList<ModelScore> scores)
    {
        Channels = channels;
        TrueShares = trueShares;
        TrueConversions = trueConversions;
        Scores = scores;
    }

    /// <summary>Rows: channels by true share descending, then by name.</summary>
    public IReadOnlyList<string> Channels { get; }

    public double[] TrueShares { get; }

    /// <summary>The truth's incremental conversions per row (the baseline on the pooled row).</summary>
    public double[] TrueConversions { get; }

    /// <summary>Best (lowest error) first; ties by model name.</summary>
    public IReadOnlyList<ModelScore> Scores { get; }

    public static ModelEvaluation Evaluate(GroundTruth truth, IReadOnlyList<AttributionResult> results)
    {
        if (truth.Assigned == 0)
        {
            throw new ModelInputException("The truth assigns no conversion to any channel or to the baseline: there is nothing to compare against.");
        }

        var hasDirect = truth.Channels.Any(c => c.Channel == JourneySet.DirectChannel)
            || results.Any(r => r.Get(JourneySet.DirectChannel).Conversions != 0);
        var baselineKey = hasDirect ? PooledKey : GroundTruth.BaselineKey;
        string Key(string k) => k is JourneySet.DirectChannel or GroundTruth.BaselineKey ? baselineKey : k;

        var truthByKey = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in truth.Rows())
        {
            truthByKey[Key(row.Channel)] = truthByKey.GetValueOrDefault(Key(row.Channel)) + row.Incremental;
        }

        var modelByKey = results.Select(r =>
        {
            var credit = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var row in r.Rows())
            {
                credit[Key(row.Key)] = credit.GetValueOrDefault(Key(row.Key)) + row.Conversions;
            }

            return credit;
        }).ToList();

        var keys = truthByKey.Keys.Concat(modelByKey.SelectMany(m => m.Keys)).Distinct(StringComparer.Ordinal)
            .OrderByDescending(k => truthByKey.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal).ToList();
        var trueConversions = keys.Select(k => truthByKey.GetValueOrDefault(k)).ToArray();
        var trueShares = trueConversions.Select(x => x / truth.Assigned).ToArray();

        var scores = new List<ModelScore>();
        for (var m = 0; m < results.Count; m++)
        {
            var conversions = keys.Select(k => modelByKey[m].GetValueOrDefault(k)).ToArray();
            var total = conversions.Sum();
            var shares = conversions.Select(x => total == 0 ? 0 : x / total).ToArray();
            var error = 0.0;
            for (var k = 0; k < keys.Count; k++)
            {
                error += Math.Abs(shares[k] - trueShares[k]);
            }

            scores.Add(new ModelScore(results[m].Model.Name, shares, conversions, error));
        }

        scores.Sort((a, b) => a.Error != b.Error ? a.Error.CompareTo(b.Error) : string.CompareOrdinal(a.Model, b.Model));
        return new ModelEvaluation(keys, trueShares, trueConversions, scores);
    }
}
