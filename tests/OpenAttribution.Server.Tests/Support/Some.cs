using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenAttribution.Server.Tests.Support;

/// <summary>Event bodies for tests.</summary>
internal static class Some
{
    public static string Touch(string anonymousId, string day, string? url = null, string? id = null, string? source = null, string? medium = null, string? campaign = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["event_id"] = id,
            ["timestamp"] = $"2026-03-{day}T09:00:00Z",
            ["anonymous_id"] = anonymousId,
            ["type"] = "touch",
            ["url"] = url,
            ["source"] = source,
            ["medium"] = medium,
            ["campaign"] = campaign,
        }.Where(p => p.Value is not null).ToDictionary());

    public static string Conversion(string anonymousId, string day, double value, string? id = null, string name = "purchase") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["event_id"] = id,
            ["timestamp"] = $"2026-03-{day}T12:00:00Z",
            ["anonymous_id"] = anonymousId,
            ["type"] = "conversion",
            ["conversion"] = name,
            ["value"] = value.ToString(CultureInfo.InvariantCulture),
        }.Where(p => p.Value is not null).ToDictionary());

    public static StringContent Array(params string[] events) => new("[" + string.Join(",", events) + "]", Encoding.UTF8, "application/json");

    public static StringContent Lines(params string[] events) => new(string.Join("\n", events) + "\n", Encoding.UTF8, "application/x-ndjson");

    /// <summary>Email touch then a purchase of 100 for one visitor; a CPC touch and a purchase of 50 for another.</summary>
    public static StringContent TwoJourneys(string prefix = "") => Array(
        Touch(prefix + "a", "01", "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"),
        Conversion(prefix + "a", "02", 100),
        Touch(prefix + "b", "03", source: "google", medium: "cpc", campaign: "brand"),
        Conversion(prefix + "b", "03", 50));
}
