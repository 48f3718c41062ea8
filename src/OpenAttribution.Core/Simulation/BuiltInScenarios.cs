namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Scenarios that each expose a known bias of rule-based attribution. All share one ordinary
/// channel mix; each adds the channel that causes its bias. docs/evaluation.md shows the results.
/// </summary>
public static class BuiltInScenarios
{
    public const string DefaultName = "mixed";

    private static readonly ChannelEffect PaidSearch = new("Paid Search") { Reach = 0.35, Frequency = 2, Lift = 0.03, RepeatLift = 0.7, DelayDays = 1 };
    private static readonly ChannelEffect Email = new("Email") { Reach = 0.3, Frequency = 3, Lift = 0.015, RepeatLift = 0.7, DelayDays = 1 };
    private static readonly ChannelEffect PaidSocial = new("Paid Social") { Reach = 0.5, Frequency = 3, Lift = 0.01, RepeatLift = 0.6, DelayDays = 3 };
    private static readonly ChannelEffect OrganicSearch = new("Organic Search") { Reach = 0.3, Frequency = 1.5, Lift = 0.02, DelayDays = 2 };

    /// <summary>Only closes: arrives just before conversions it did not cause (brand search after the decision to buy).</summary>
    private static readonly ChannelEffect BrandSearch = new("Brand Search") { Closing = 0.5 };

    /// <summary>Only introduces: early in journeys, strong but slow effect (awareness display).</summary>
    private static readonly ChannelEffect Display = new("Display") { Reach = 0.6, Frequency = 2, Lift = 0.04, RepeatLift = 0.8, Timing = ExposureTiming.Early, DelayDays = 8 };

    /// <summary>Everywhere, no effect (coupon affiliates, view-through impressions).</summary>
    private static readonly ChannelEffect Affiliates = new("Affiliates") { Reach = 0.7, Frequency = 4 };

    /// <summary>Heavy Direct: many visits with no effect, and buyers typing the address to buy.</summary>
    private static readonly ChannelEffect Direct = new("Direct") { Reach = 0.5, Frequency = 3, Closing = 0.6 };

    private static readonly ChannelEffect[] Mix = [PaidSearch, Email, PaidSocial, OrganicSearch];

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new Scenario
        {
            Name = "closer",
            Description = "Brand Search only closes: half of all buyers arrive through it just before buying, but it causes nothing. Last touch over-credits it.",
            Baseline = 0.005,
            Channels = [.. Mix, BrandSearch],
        },
        new Scenario
        {
            Name = "introducer",
            Description = "Display only introduces: it reaches people in their first days and works slowly. Last touch under-credits it.",
            Baseline = 0.005,
            Channels = [Display, .. Mix],
        },
        new Scenario
        {
            Name = "noise",
            Description = "Affiliates appear in most journeys, often several times, and cause nothing.",
            Baseline = 0.005,
            Channels = [.. Mix, Affiliates],
        },
        new Scenario
        {
            Name = "direct",
            Description = "Heavy Direct: a large baseline of people who buy anyway, Direct visits with no effect, and buyers arriving Direct to buy.",
            Baseline = 0.03,
            Channels = [.. Mix, Direct],
        },
        new Scenario
        {
            Name = DefaultName,
            Description = "All of the above at once: an introducer, a closer, a no-effect channel and Direct traffic.",
            Baseline = 0.01,
            Channels = [Display, .. Mix, Affiliates, Direct with { Closing = 0.3 }, BrandSearch with { Closing = 0.3 }],
        },
    ];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    public static Scenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
