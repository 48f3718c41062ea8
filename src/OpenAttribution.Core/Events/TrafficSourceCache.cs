using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Resolves touches to their interned channel, source, medium and campaign, each distinct combination
/// of raw traffic fields once: touches repeat the same traffic source again and again. Of the URL only
/// the host and the query matter (<see cref="TrafficUrl"/>), so the key holds those alone. Keys are
/// known by their 128-bit hash (<see cref="HashedIds"/>), as ids are: no key text is kept or compared.
/// </summary>
internal sealed class TrafficSourceCache(ChannelGrouping grouping, Dimensions names)
{
    private readonly TouchSourceResolver _resolver = new(grouping, names);
    private readonly HashedIds _keys = new(1024);
    private readonly List<(int Channel, int Source, int Medium, int Campaign)> _resolved = [];
    private char[] _key = new char[256];

    public (int Channel, int Source, int Medium, int Campaign) Resolve(in EventRow row)
    {
        TrafficUrl.Split(row.Url, out var head, out var query);
        var length = 0;
        Append(ref length, row.Channel);
        Append(ref length, row.Source);
        Append(ref length, row.Medium);
        Append(ref length, row.Campaign);
        Append(ref length, row.Content);
        Append(ref length, row.Term);
        Append(ref length, row.Referrer);
        Append(ref length, head);
        AppendDeciding(ref length, query);
        var index = _keys.Intern(_key.AsSpan(0, length));
        if (index < _resolved.Count)
        {
            return _resolved[index];
        }

        var resolved = _resolver.Resolve(
            Text(row.Channel), Text(row.Source), Text(row.Medium), Text(row.Campaign), Text(row.Content), Text(row.Term), Text(row.Referrer), Text(row.Url));
        _resolved.Add(resolved);
        return resolved;
    }

    private enum ParameterKind
    {
        Other,
        Utm,
        ClickId,
    }

    /// <summary>
    /// Whether a query parameter is one the resolver reads (<see cref="TrafficSourceResolver"/>'s own
    /// lists): a UTM field, whose value counts, or a click id, whose presence counts. Names compare
    /// ignoring case.
    /// </summary>
    private static ParameterKind Parameter(ReadOnlySpan<char> name) =>
        IsOneOf(name, TrafficSourceResolver.UtmParameters) ? ParameterKind.Utm
        : IsOneOf(name, TrafficSourceResolver.ClickIdParameters) ? ParameterKind.ClickId
        : ParameterKind.Other;

    private static bool IsOneOf(ReadOnlySpan<char> name, string[] parameters)
    {
        foreach (var parameter in parameters)
        {
            if (name.Length == parameter.Length && name.Equals(parameter, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Of a query (from its <c>?</c>), only what the resolver reads, parsed as
    /// <see cref="UrlParts.QueryParameter"/> parses it: the UTM pairs as they are, and for each click id
    /// whether it has a value. A click id (gclid, fbclid) is unique to its click, so a key that held it
    /// would resolve every such touch afresh. A value that decoding could make blank is kept whole.
    /// </summary>
    private void AppendDeciding(ref int length, ReadOnlySpan<char> query)
    {
        if (query.IsEmpty)
        {
            Append(ref length, query);
            return;
        }

        query = query[1..];
        var fragment = query.IndexOf('#');
        if (fragment >= 0)
        {
            query = query[..fragment];
        }

        while (!query.IsEmpty)
        {
            var amp = query.IndexOf('&');
            var pair = amp >= 0 ? query[..amp] : query;
            query = amp >= 0 ? query[(amp + 1)..] : [];
            var eq = pair.IndexOf('=');
            var name = (eq >= 0 ? pair[..eq] : pair).Trim();
            var kind = Parameter(name);
            if (kind == ParameterKind.Utm)
            {
                Append(ref length, pair);
            }
            else if (kind == ParameterKind.ClickId)
            {
                var value = eq >= 0 ? pair[(eq + 1)..] : [];
                Append(ref length, name);
                Append(ref length, MayDecodeBlank(value) ? value : value.IsEmpty ? "" : "1");
            }
        }

        Append(ref length, "?");
    }

    /// <summary>True when the value could be blank once decoded: it has an escape, a plus or white space.</summary>
    private static bool MayDecodeBlank(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is '%' or '+' || char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Text(ReadOnlySpan<char> s) => s.IsEmpty ? null : s.ToString();

    /// <summary>Appends a part to the key after its length (two characters), so no text can pass for a separator.</summary>
    private void Append(ref int length, ReadOnlySpan<char> part)
    {
        var needed = length + part.Length + 2;
        if (needed > _key.Length)
        {
            Array.Resize(ref _key, Math.Max(needed, _key.Length * 2));
        }

        _key[length++] = (char)(part.Length >> 16);
        _key[length++] = (char)part.Length;
        part.CopyTo(_key.AsSpan(length));
        length += part.Length;
    }
}
