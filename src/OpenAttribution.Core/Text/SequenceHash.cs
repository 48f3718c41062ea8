namespace OpenAttribution.Core.Text;

/// <summary>
/// A fast, non-cryptographic hash of a sequence of small integers (channel ids, state tuples) for
/// open-addressing tables: a multiply-xor mix per element and a final avalanche. Non-negative.
/// </summary>
internal static class SequenceHash
{
    public static int Of(ReadOnlySpan<int> items)
    {
        var h = (uint)items.Length * 0x9E3779B1u;
        foreach (var c in items)
        {
            h = (h ^ (uint)c) * 0x85EBCA6Bu;
            h ^= h >> 15;
        }

        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return (int)(h & 0x7FFFFFFF);
    }
}
