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
/// dates given (the report's conversion range, if any); a report in one currency only.
/// </summary>
public static class RoiReport
{
    public static IReadOnlyList<RoiRow> Build(AttributionResult result, IReadOnlyList<CostRow> costs, DateOnly? from = null, DateOnly? to = null)
    {
        if (result.Dimension is not (Dimension.Channel or Dimension.Campaign))
        {
            throw new InvalidOperationException($"Costs are kept per channel and campaign, so ROI needs --by channel or --by campaign, not --by {result.Dimension.ToString().ToLowerInvariant()}.");
        }

        var inRange = costs.Where(c => (from is null || c.Date >= from) && (to is null || c.Date <= to)).ToList();
        var currencies = inRange.Select(c => c.Currency).Distinct().ToList();
        if (currencies.Count > 1)
        {
            throw new InvalidOperationException($"The costs are in several currencies ({string.Join(", ", currencies)}); convert them to one before computing ROI.");
        }

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
}
