using OpenAttribution.Core.Channels;

namespace OpenAttribution.Stores;

/// <summary>A normalised traffic source: what channel rules read (the raw referrer included).</summary>
internal readonly record struct NormalisedSource(
    string? Channel, string? Source, string? Medium, string? Campaign, string? Content, string? Term, string? Referrer);

/// <summary>
/// The resolved snapshots' one step in .NET: each distinct raw traffic source, fed in order of first
/// appearance with its 64-bit hash, is normalised once by <see cref="TrafficSourceResolver.Resolve"/>
/// (GA4's rules, which do not depend on channel rules); the distinct normalised sources are numbered
/// in order of first appearance. Click ids make most raw sources distinct (hundreds of thousands on 10M
/// events); they normalise to a few hundred, which is all a report classifies.
/// </summary>
internal sealed class SourceNormaliser(string store)
{
    private readonly Dictionary<NormalisedSource, int> _ids = [];
    private readonly HashSet<long> _hashes = [];

    /// <summary>The distinct normalised sources; a source's id is its index.</summary>
    public List<NormalisedSource> Sources { get; } = [];

    /// <summary>Each raw source's hash and the id of its normalised source.</summary>
    public List<(long Hash, int Id)> Map { get; } = [];

    /// <summary>A normalised source already stored (with the next id): a new raw source that normalises to it gets its id.</summary>
    public void Known(NormalisedSource source)
    {
        _ids.Add(source, Sources.Count);
        Sources.Add(source);
    }

    public void Add(long hash, string? channel, string? source, string? medium, string? campaign, string? content, string? term, string? referrer, string? url)
    {
        if (!_hashes.Add(hash))
        {
            throw new InvalidDataException($"{store}: two traffic source combinations share a 64-bit hash; the resolved snapshot cannot be built (read the raw events instead).");
        }

        var t = TrafficSourceResolver.Resolve(source, medium, campaign, content, term, referrer, url);
        var key = new NormalisedSource(channel, t.Source, t.Medium, t.Campaign, t.Content, t.Term, referrer);
        if (!_ids.TryGetValue(key, out var id))
        {
            id = Sources.Count;
            _ids.Add(key, id);
            Sources.Add(key);
        }

        Map.Add((hash, id));
    }
}
