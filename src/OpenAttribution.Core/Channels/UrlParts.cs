namespace OpenAttribution.Core.Channels;

/// <summary>Allocation-light helpers to pick apart URLs and referrers (no <see cref="Uri"/>: inputs are often partial).</summary>
internal static class UrlParts
{
    /// <summary>
    /// The host of a URL or of a bare host name: scheme, user info, port, path, query, fragment and a
    /// trailing dot removed. Empty when there is none or it is not a plausible host name.
    /// </summary>
    public static ReadOnlySpan<char> Host(ReadOnlySpan<char> url)
    {
        url = url.Trim();
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            url = url[(scheme + 3)..];
        }
        else if (url.StartsWith("//", StringComparison.Ordinal))
        {
            url = url[2..];
        }

        int end = url.IndexOfAny('/', '?', '#');
        if (end >= 0)
        {
            url = url[..end];
        }

        int at = url.LastIndexOf('@');
        if (at >= 0)
        {
            url = url[(at + 1)..];
        }

        if (url.StartsWith('['))
        {
            int close = url.IndexOf(']');
            return close > 0 ? url[..(close + 1)] : [];
        }

        int colon = url.IndexOf(':');
        if (colon >= 0)
        {
            url = url[..colon];
        }

        url = url.TrimEnd('.');
        return IsPlausibleHost(url) ? url : [];
    }

    /// <summary>The host without a leading <c>www.</c>.</summary>
    public static ReadOnlySpan<char> WithoutWww(ReadOnlySpan<char> host) =>
        host.Length > 4 && host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;

    /// <summary>
    /// The first non-empty value of query parameter <paramref name="name"/> (name compared
    /// case-insensitively), URL-decoded with <c>+</c> as a space; <see langword="null"/> when absent.
    /// </summary>
    public static string? QueryParameter(string? url, string name)
    {
        if (url is null)
        {
            return null;
        }

        int question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return null;
        }

        ReadOnlySpan<char> query = url.AsSpan(question + 1);
        int hash = query.IndexOf('#');
        if (hash >= 0)
        {
            query = query[..hash];
        }

        while (!query.IsEmpty)
        {
            int amp = query.IndexOf('&');
            ReadOnlySpan<char> pair = amp >= 0 ? query[..amp] : query;
            query = amp >= 0 ? query[(amp + 1)..] : [];

            int eq = pair.IndexOf('=');
            ReadOnlySpan<char> key = eq >= 0 ? pair[..eq] : pair;
            if (!key.Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? value = eq >= 0 ? Decode(pair[(eq + 1)..]) : null;
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    private static string Decode(ReadOnlySpan<char> encoded)
    {
        string text = encoded.Contains('+') ? encoded.ToString().Replace('+', ' ') : encoded.ToString();
        return text.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(text) : text;
    }

    private static bool IsPlausibleHost(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty)
        {
            return false;
        }

        foreach (char c in host)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' || c > 127 && char.IsLetterOrDigit(c);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
