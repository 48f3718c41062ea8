namespace OpenAttribution.Core.Generation;

/// <summary>A kind of visit the generator can produce, with how often it happens and how much it moves people to buy.</summary>
internal sealed record TrafficKind(
    string Name,
    double Weight,
    double Lift,
    string? Source,
    string? Medium,
    string? Referrer,
    string[] Campaigns,
    bool UtmInUrl = false,
    string? ClickId = null);

internal static class TrafficMix
{
    /// <summary>
    /// A plausible mix for an online shop: paid and organic search, social, email, display,
    /// affiliates, referrals, video, SMS and push, and plenty of direct visits.
    /// </summary>
    public static readonly TrafficKind[] Kinds =
    [
        new("direct", 20, 0.020, null, null, null, []),
        new("google-organic", 14, 0.025, null, null, "https://www.google.com/", []),
        new("bing-organic", 2, 0.025, null, null, "https://www.bing.com/", []),
        new("google-ads", 12, 0.035, "google", "cpc", null, ["brand", "generic_shoes", "spring_sale"], UtmInUrl: true),
        new("google-autotag", 4, 0.035, null, null, null, [], ClickId: "gclid"),
        new("bing-ads", 2, 0.030, "bing", "cpc", null, ["brand", "generic_shoes"]),
        new("facebook-ads", 8, 0.018, "facebook", "paid_social", null, ["prospecting", "retargeting"], UtmInUrl: true),
        new("instagram-ads", 4, 0.015, "instagram", "cpc", null, ["stories_q1", "retargeting"]),
        new("facebook-organic", 4, 0.008, null, null, "https://l.facebook.com/", []),
        new("newsletter", 8, 0.040, "newsletter", "email", null, ["weekly_digest", "spring_sale", "winback"]),
        new("display", 6, 0.006, "criteo", "display", null, ["retargeting_banner"]),
        new("affiliate", 3, 0.030, "partner-network", "affiliate", null, ["coupon_sites", "reviews"]),
        new("blog-referral", 4, 0.012, null, null, "https://www.shoe-reviews.example/best-running-shoes", []),
        new("youtube", 3, 0.010, "youtube", "cpv", null, ["launch_video"]),
        new("sms", 2, 0.030, "sms", "sms", null, ["flash_sale"]),
        new("push", 2, 0.020, "firebase", "push", null, ["cart_reminder"]),
        new("tiktok", 2, 0.006, "tiktok", "paid_social", null, ["ugc_creators"], UtmInUrl: true),
    ];
}
