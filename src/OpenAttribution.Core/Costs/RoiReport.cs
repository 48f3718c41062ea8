using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Core.Costs;

/// <summary>A dimension value's attributed result beside its cost: ROAS = value / cost, CPA = cost / conversions.</summary>
public sealed record RoiRow(string Key, double Conversions, double Value, double Cost)
{
    public double? Roas => Cost > 0 ? Value / Cost : null;

    public double? Cpa => Conversions > 0 && Cost > 0 ? Cost / Conversions : null;
}

/// <summary>
/// Joins one model's credit with costs per channel or per campaign. Costs are summed over the
/// dates given (the report's conversion range, if any), in one currency: the one asked for, or the
/// only one the costs in range have (ROI never adds up two currencies).
/// </summary>
public static class RoiReport
{
    /// <summary>
    /// The currency the ROI of <paramref name="costs"/> in the range is computed in: <paramref name="requested"/>
    /// (upper-cased), or the costs' only currency (null when there are no costs in range). Several
    /// currencies and none requested: a <see cref="RoiCurrencyException"/> naming them.
    /// </summary>
    public static string? Currency(IReadOnlyList<CostRow> costs, DateOnly? from, DateOnly? to, string? requested)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (requested is { Length: > 0 })
        {
            return requested.Trim().ToUpperInvariant();
        }

        var currencies = InRange(costs, from, to).Select(c => c.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return currencies.Count switch
        {
            0 => null,
            1 => currencies[0],
            _ => throw new RoiCurrencyException(currencies),
        };
    }

    public static IReadOnlyList<RoiRow> Build(AttributionResult result, IReadOnlyList<CostRow> costs, DateOnly? from = null, DateOnly? to = null, string? currency = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Dimension is not (Dimension.Channel or Dimension.Campaign))
        {
            throw new Models.ModelInputException($"Costs are kept per channel and campaign, so ROI needs the report by channel or by campaign, not by {result.Dimension.ToString().ToLowerInvariant()}.");
        }

        var chosen = Currency(costs, from, to, currency);
        var inRange = InRange(costs, from, to).Where(c => string.Equals(c.Currency, chosen, StringComparison.Ordinal)).ToList();

        var spend = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in inRange)
        {
            var key = result.Dimension == Dimension.Channel ? c.Channel : c.Campaign;
            if (key is null)
            {
                continue;
            }

            spend[key] = spend.GetValueOrDefault(key) + c.Cost;
        }

        var rows = result.Rows().Select(r => new RoiRow(r.Key, r.Conversions, r.Value, spend.GetValueOrDefault(r.Key))).ToList();
        var credited = new HashSet<string>(rows.Select(r => r.Key), StringComparer.OrdinalIgnoreCase);
        rows.AddRange(spend.Where(s => !credited.Contains(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new RoiRow(s.Key, 0, 0, s.Value)));
        return rows;
    }

    private static IEnumerable<CostRow> InRange(IReadOnlyList<CostRow> costs, DateOnly? from, DateOnly? to) =>
        costs.Where(c => (from is null || c.Date >= from) && (to is null || c.Date <= to));
}

/// <summary>Costs in several currencies and none chosen: each host says how to choose one.</summary>
public sealed class RoiCurrencyException(IReadOnlyList<string> currencies)
    : InvalidOperationException($"The costs in range are in several currencies ({string.Join(", ", currencies)}); ROI is computed in one of them at a time")
{
    public IReadOnlyList<string> Currencies { get; } = currencies;
}
