namespace OpenAttribution.Core.Channels;

/// <summary>
/// Turns the raw traffic fields of a touch into GA4-style source / medium / campaign / content / term.
/// </summary>
public static class TrafficSourceResolver
{
    private static readonly string[] GoogleAdsClickIds = ["gclid", "gbraid", "wbraid"];

    private const string MicrosoftClickId = "msclkid";
    private const string DisplayVideoClickId = "dclid";
    private const string FacebookClickId = "fbclid";

    /// <summary>The URL parameters whose values <see cref="Resolve"/> reads.</summary>
    internal static readonly string[] UtmParameters = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"];

    /// <summary>The URL parameters whose presence alone (a value that is not blank) <see cref="Resolve"/> reads.</summary>
    internal static readonly string[] ClickIdParameters = [.. GoogleAdsClickIds, MicrosoftClickId, DisplayVideoClickId, FacebookClickId];

    /// <summary>
    /// Normalises a touch's traffic fields, in this order:
    /// <list type="number">
    /// <item>explicit fields win (trimmed; blank means missing);</item>
    /// <item><c>utm_source</c>, <c>utm_medium</c>, <c>utm_campaign</c>, <c>utm_content</c>, <c>utm_term</c> in
    /// <paramref name="url"/> fill the missing ones (URL-decoded, case kept);</item>
    /// <item>when source and medium are both still missing: ad click ids in the URL, i.e. <c>gclid</c>,
    /// <c>gbraid</c>, <c>wbraid</c> give <c>google / cpc</c>, <c>msclkid</c> gives <c>bing / cpc</c>, <c>dclid</c>
    /// gives <c>dv360 / cpm</c>;</item>
    /// <item>then the referrer (ignored when it is the landing page's own host): source = its host without
    /// <c>www.</c> and port, medium = <c>organic</c> for a search engine, else <c>referral</c>;</item>
    /// <item>then <c>fbclid</c> alone (a Facebook link whose referrer was stripped) gives <c>facebook / referral</c>,
    /// never a paid medium;</item>
    /// <item>otherwise <c>(direct) / (none)</c>.</item>
    /// </list>
    /// A missing campaign, content or term stays <see langword="null"/>. When only one of source and medium is
    /// known, the other stays <see langword="null"/> (rules read it as <c>(not set)</c>).
    /// </summary>
    public static TrafficSource Resolve(
        string? source, string? medium, string? campaign, string? content, string? term, string? referrer, string? url)
    {
        source = Clean(source);
        medium = Clean(medium);
        campaign = Clean(campaign);
        content = Clean(content);
        term = Clean(term);
        url = Clean(url);

        if (url is not null && url.Contains('?', StringComparison.Ordinal))
        {
            source ??= UrlParts.QueryParameter(url, UtmParameters[0]);
            medium ??= UrlParts.QueryParameter(url, UtmParameters[1]);
            campaign ??= UrlParts.QueryParameter(url, UtmParameters[2]);
            content ??= UrlParts.QueryParameter(url, UtmParameters[3]);
            term ??= UrlParts.QueryParameter(url, UtmParameters[4]);
        }

        if (source is not null || medium is not null)
        {
            return new TrafficSource(source, medium, campaign, content, term);
        }

        if (url is not null && url.Contains('?', StringComparison.Ordinal))
        {
            foreach (string id in GoogleAdsClickIds)
            {
                if (UrlParts.QueryParameter(url, id) is not null)
                {
                    return new TrafficSource("google", "cpc", campaign, content, term);
                }
            }

            if (UrlParts.QueryParameter(url, MicrosoftClickId) is not null)
            {
                return new TrafficSource("bing", "cpc", campaign, content, term);
            }

            if (UrlParts.QueryParameter(url, DisplayVideoClickId) is not null)
            {
                return new TrafficSource("dv360", "cpm", campaign, content, term);
            }
        }

        string? host = ReferrerSource(referrer, url);
        if (host is not null)
        {
            // As GA4 does, a search engine is named by its registrable name (google, bing), any other referrer by its host.
            return BuiltInSiteLists.Search.Matches(host)
                ? new TrafficSource(SiteList.RegistrableName(host), "organic", campaign, content, term)
                : new TrafficSource(host, "referral", campaign, content, term);
        }

        if (UrlParts.QueryParameter(url, FacebookClickId) is not null)
        {
            return new TrafficSource("facebook", "referral", campaign, content, term);
        }

        return new TrafficSource(TrafficSource.DirectSource, TrafficSource.NoneMedium, campaign, content, term);
    }

    /// <summary>The lower-cased referrer host without <c>www.</c> and port; null when none or a self-referral.</summary>
    internal static string? ReferrerSource(string? referrer, string? url)
    {
        if (string.IsNullOrWhiteSpace(referrer))
        {
            return null;
        }

        ReadOnlySpan<char> host = UrlParts.WithoutWww(UrlParts.Host(referrer));
        if (host.IsEmpty)
        {
            return null;
        }

        if (url is not null)
        {
            ReadOnlySpan<char> landing = UrlParts.WithoutWww(UrlParts.Host(url));
            if (!landing.IsEmpty && landing.Equals(host, StringComparison.OrdinalIgnoreCase) && url.Contains("://", StringComparison.Ordinal))
            {
                return null;
            }
        }

        return host.ToString().ToLowerInvariant();
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
