using OpenAttribution.Core.Models;

namespace OpenAttribution.Core.Reports;

/// <summary>One dimension value across models, with each model's change against the first.</summary>
public sealed record ComparisonRow(string Key, double[] Conversions, double[] Values)
{
    /// <summary>Percent change of model <paramref name="m"/>'s conversions against the first model; null when the first is 0.</summary>
    public double? ChangePercent(int m) =>
        Conversions[0] == 0 ? null : (Conversions[m] - Conversions[0]) / Conversions[0] * 100;
}

/// <summary>GA's model comparison view: the same dimension values under several models.</summary>
public sealed class ModelComparison
{
    public ModelComparison(IReadOnlyList<AttributionResult> results)
    {
        if (results.Count == 0)
        {
            throw new ArgumentException("A comparison needs at least one model.", nameof(results));
        }

        Results = results;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            foreach (var row in r.Rows())
            {
                keys.Add(row.Key);
            }
        }

        var rows = keys.Select(k => new ComparisonRow(
                k,
                results.Select(r => r.Get(k).Conversions).ToArray(),
                results.Select(r => r.Get(k).Value).ToArray()))
            .ToList();
        rows.Sort((a, b) =>
        {
            var c = b.Conversions[0].CompareTo(a.Conversions[0]);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        });
        Rows = rows;
    }

    public IReadOnlyList<AttributionResult> Results { get; }

    public IReadOnlyList<string> Models => Results.Select(r => r.Model.Name).ToList();

    /// <summary>Sorted by the first model's conversions descending, then by name.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }
}
