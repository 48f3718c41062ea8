using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;

namespace OpenAttribution.Server.Reports;

/// <summary>One dimension value's credit; with <c>roi=true</c> also its cost, ROAS and CPA.</summary>
internal sealed record CreditRowResponse(string Key, double Conversions, double Value, double? RemovalEffect = null, double? Cost = null, double? Roas = null, double? Cpa = null);

internal sealed record TotalResponse(double Conversions, double Value);

/// <summary><c>GET /v1/reports/attribution</c>: one model's credit per dimension value (the CLI's <c>report --format json</c>).</summary>
internal sealed record AttributionResponse(string Model, string By, IReadOnlyList<CreditRowResponse> Rows, TotalResponse Total, string? Currency = null)
{
    /// <summary>The report's rows; with ROI rows, their costs in <paramref name="currency"/> (null: no costs in range).</summary>
    public static AttributionResponse From(AttributionResult result, IReadOnlyList<RoiRow>? roi, string? currency)
    {
        var index = result.Keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        double? Removal(string key) => result.RemovalEffects is { } r && index.TryGetValue(key, out var i) ? r[i] : null;
        var rows = roi is null
            ? result.Rows().Select(r => new CreditRowResponse(r.Key, r.Conversions, r.Value, Removal(r.Key))).ToList()
            : roi.Select(r => new CreditRowResponse(r.Key, r.Conversions, r.Value, Removal(r.Key), r.Cost, r.Roas, r.Cpa)).ToList();
        return new AttributionResponse(result.Model.Name, Name(result.Dimension), rows, new TotalResponse(result.TotalConversions, result.TotalValue), roi is null ? null : currency);
    }

    public static string Name(Dimension dimension) => dimension.ToString().ToLowerInvariant();
}

internal sealed record ModelRowResponse(string Model, string Key, double Conversions, double Value);

/// <summary><c>GET /v1/reports/compare</c>: rows per model and dimension value (the CLI's <c>compare --format json</c>).</summary>
internal sealed record CompareResponse(string By, IReadOnlyList<string> Models, IReadOnlyList<ModelRowResponse> Rows)
{
    public static CompareResponse From(ModelComparison comparison, Dimension dimension) => new(
        AttributionResponse.Name(dimension),
        comparison.Models,
        comparison.Results.SelectMany(r => r.Rows().Select(row => new ModelRowResponse(r.Model.Name, row.Key, row.Conversions, row.Value))).ToList());
}

internal sealed record PathResponse(string Path, int Length, double Conversions, double Value);

internal sealed record BucketResponse(string Bucket, double Conversions, double Value);

internal sealed record AssistResponse(string Key, double LastTouchConversions, double LastTouchValue, double AssistedConversions, double AssistedValue, double? AssistedLastRatio);

internal sealed record PathTotalResponse(double Conversions, double Value, int DistinctPaths);

/// <summary><c>GET /v1/reports/paths</c>: top paths, path lengths, time lags, assists (the CLI's <c>paths --format json</c>).</summary>
internal sealed record PathsResponse(
    string By,
    PathTotalResponse Total,
    IReadOnlyList<PathResponse> Paths,
    IReadOnlyList<BucketResponse> PathLengths,
    IReadOnlyList<BucketResponse> TimeLags,
    IReadOnlyList<AssistResponse> Assists)
{
    public static PathsResponse From(PathReport report, Dimension dimension) => new(
        AttributionResponse.Name(dimension),
        new PathTotalResponse(report.TotalConversions, report.TotalValue, report.DistinctPaths),
        report.TopPaths.Select(p => new PathResponse(p.Path, p.Length, p.Conversions, p.Value)).ToList(),
        report.PathLengths.Select(Bucket).ToList(),
        report.TimeLags.Select(Bucket).ToList(),
        report.Assists.Select(a => new AssistResponse(a.Key, a.LastTouchConversions, a.LastTouchValue, a.AssistedConversions, a.AssistedValue,
            double.IsFinite(a.Ratio) ? a.Ratio : null)).ToList());

    private static BucketResponse Bucket(DistributionRow r) => new(r.Bucket, r.Conversions, r.Value);
}
