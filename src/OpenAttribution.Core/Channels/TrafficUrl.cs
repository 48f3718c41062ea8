namespace OpenAttribution.Core.Channels;

/// <summary>
/// The parts of a landing URL that decide a touch's traffic source: everything up to the end of the
/// host (scheme, user info, host, port), then the query from its <c>?</c>. The path and anything
/// between it and the query never change the resolved source, medium, campaign or channel, so two
/// URLs with the same parts resolve alike, so the in-memory channel cache keys on them.
/// </summary>
internal static class TrafficUrl
{
    /// <summary>
    /// Splits <paramref name="url"/> into its deciding parts; for a URL without <c>://</c> (or with a
    /// <c>?</c> before it) the whole URL is the head and the query is empty.
    /// </summary>
    public static void Split(ReadOnlySpan<char> url, out ReadOnlySpan<char> head, out ReadOnlySpan<char> query)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || url[..scheme].Contains('?'))
        {
            head = url;
            query = [];
            return;
        }

        var rest = url[(scheme + 3)..];
        var end = rest.IndexOfAny('/', '?', '#');
        var headLength = end < 0 ? url.Length : scheme + 3 + end;
        head = url[..headLength];
        var q = url[headLength..].IndexOf('?');
        query = q < 0 ? [] : url[(headLength + q)..];
    }
}
