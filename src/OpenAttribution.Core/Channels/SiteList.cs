namespace OpenAttribution.Core.Channels;

/// <summary>
/// A named list of sites (a category such as <c>search</c> or <c>social</c>) that a source, a
/// referrer or a host can be matched against, case-insensitively. An entry is one of:
/// <list type="bullet">
/// <item>a domain (<c>t.co</c>, <c>facebook.com</c>): matches that host and its subdomains;</item>
/// <item>a bare name (<c>fb</c>, <c>facebook</c>): matches the value itself; a bare name of three or more
/// characters also matches a host whose registrable name it is (<c>google</c> matches
/// <c>www.google.co.uk</c> and <c>news.google.com</c>, not <c>google.example.com</c>);</item>
/// <item><c>!</c> followed by a domain: an exclusion; that host and its subdomains never match.</item>
/// </list>
/// </summary>
internal sealed class SiteList
{
    private static readonly HashSet<string> SecondLevelLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "co", "com", "net", "org", "ac", "edu", "gov", "gob", "go", "ne", "or", "nic", "ltd", "plc", "web",
    };

    private readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> excluded = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> nameLookup;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> excludedLookup;

    public SiteList(string name, IEnumerable<string> entries)
    {
        Name = name;
        var all = new List<string>();
        foreach (string raw in entries)
        {
            string entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            all.Add(entry);
            if (entry[0] == '!')
            {
                excluded.Add(entry[1..].Trim().TrimEnd('.'));
            }
            else
            {
                names.Add(entry.TrimEnd('.'));
            }
        }

        Entries = all;
        nameLookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        excludedLookup = excluded.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Name { get; }

    /// <summary>The entries as given (including <c>!</c> exclusions), for merging lists.</summary>
    public IReadOnlyList<string> Entries { get; }

    public bool Matches(string? value) => value is not null && Matches(value.AsSpan());

    public bool Matches(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.IsEmpty)
        {
            return false;
        }

        // A bare name can contain characters a host cannot ("e mail"): test it as given first.
        if (excluded.Count == 0 || !IsExcluded(value))
        {
            if (nameLookup.Contains(value))
            {
                return true;
            }
        }

        ReadOnlySpan<char> host = UrlParts.Host(value);
        if (host.IsEmpty || IsExcluded(host))
        {
            return false;
        }

        if (nameLookup.Contains(host))
        {
            return true;
        }

        // Parent domains: m.facebook.com -> facebook.com (never a bare top-level label).
        ReadOnlySpan<char> rest = host;
        for (int dot = rest.IndexOf('.'); dot >= 0; dot = rest.IndexOf('.'))
        {
            rest = rest[(dot + 1)..];
            if (rest.Contains('.') && nameLookup.Contains(rest))
            {
                return true;
            }
        }

        // Registrable names: www.google.co.uk -> google.
        rest = host;
        for (int dot = rest.IndexOf('.'); dot >= 0; dot = rest.IndexOf('.'))
        {
            ReadOnlySpan<char> label = rest[..dot];
            rest = rest[(dot + 1)..];
            if (label.Length >= 3 && LooksLikePublicSuffix(rest) && nameLookup.Contains(label))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsExcluded(ReadOnlySpan<char> host)
    {
        if (excluded.Count == 0)
        {
            return false;
        }

        ReadOnlySpan<char> rest = host;
        while (true)
        {
            if (excludedLookup.Contains(rest))
            {
                return true;
            }

            int dot = rest.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }

            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>
    /// The registrable name of a host, as GA4 names search engines: <c>www.google.co.uk</c> and
    /// <c>google.com</c> give <c>google</c>; a host without a recognisable suffix is returned whole.
    /// </summary>
    internal static string RegistrableName(string host)
    {
        ReadOnlySpan<char> rest = host;
        for (int dot = rest.IndexOf('.'); dot >= 0; dot = rest.IndexOf('.'))
        {
            ReadOnlySpan<char> label = rest[..dot];
            rest = rest[(dot + 1)..];
            if (LooksLikePublicSuffix(rest))
            {
                return label.ToString();
            }
        }

        return host;
    }

    /// <summary><c>com</c>, <c>de</c>, <c>co.uk</c>, <c>com.au</c> and the like (a heuristic, not the full public suffix list).</summary>
    private static bool LooksLikePublicSuffix(ReadOnlySpan<char> rest)
    {
        int dot = rest.IndexOf('.');
        if (dot < 0)
        {
            return IsLetters(rest, 2, 6);
        }

        ReadOnlySpan<char> second = rest[..dot];
        ReadOnlySpan<char> country = rest[(dot + 1)..];
        return IsLetters(country, 2, 2)
            && SecondLevelLabels.GetAlternateLookup<ReadOnlySpan<char>>().Contains(second);
    }

    private static bool IsLetters(ReadOnlySpan<char> text, int min, int max)
    {
        if (text.Length < min || text.Length > max)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
