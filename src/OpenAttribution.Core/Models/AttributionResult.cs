using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Models;

/// <summary>One model's credit per dimension value: conversions and value, indexed by key id.</summary>
public sealed class AttributionResult
{
    public AttributionResult(ModelSpec model, Dimension dimension, IReadOnlyList<string> keys, double[] conversions, double[] values)
    {
        Model = model;
        Dimension = dimension;
        Keys = keys;
        Conversions = conversions;
        Values = values;
    }

    public ModelSpec Model { get; }

    public Dimension Dimension { get; }

    public IReadOnlyList<string> Keys { get; }

    public double[] Conversions { get; }

    public double[] Values { get; }

    /// <summary>Data-driven models: removal effect (Markov) per key id, when computed.</summary>
    public double[]? RemovalEffects { get; init; }

    /// <summary>
    /// The conversions and value of the journeys the model credited, summed from the input (set by the
    /// accumulator): the total without the rounding of the credits' fractions.
    /// </summary>
    public (double Conversions, double Value)? InputTotals { get; init; }

    /// <summary>The input's conversions when known, else the credits' compensated sum.</summary>
    public double TotalConversions => InputTotals?.Conversions ?? Text.CompensatedSum.Of(Conversions);

    /// <summary>The input's value when known, else the credits' compensated sum.</summary>
    public double TotalValue => InputTotals?.Value ?? Text.CompensatedSum.Of(Values);

    /// <summary>Rows with any credit, by conversions descending, then by name (spec section 7).</summary>
    public IReadOnlyList<CreditRow> Rows()
    {
        var rows = new List<CreditRow>();
        for (var k = 0; k < Keys.Count; k++)
        {
            if (Conversions[k] != 0 || Values[k] != 0)
            {
                rows.Add(new CreditRow(Keys[k], Conversions[k], Values[k]));
            }
        }

        rows.Sort(CreditRow.ReportOrder);
        return rows;
    }

    /// <summary>The credit of a dimension value by name (0 when it has none).</summary>
    public CreditRow Get(string key)
    {
        _index ??= Enumerable.Range(0, Keys.Count).ToDictionary(k => Keys[k], StringComparer.Ordinal);
        return _index.TryGetValue(key, out var k) ? new CreditRow(key, Conversions[k], Values[k]) : new CreditRow(key, 0, 0);
    }

    private Dictionary<string, int>? _index;
}

public readonly record struct CreditRow(string Key, double Conversions, double Value)
{
    public static int ReportOrder(CreditRow a, CreditRow b)
    {
        var c = b.Conversions.CompareTo(a.Conversions);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    }
}
