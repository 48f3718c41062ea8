namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 (2014): a 64-bit state advanced by the golden-ratio constant
/// and mixed. Used to seed <see cref="Xoshiro256"/> and to give every simulated person a stream of
/// their own. Pure integer arithmetic, so a seed gives the same numbers on any runtime.
/// </summary>
internal struct SplitMix64(ulong state)
{
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state = state;

    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>The output function: the n-th output of a generator seeded with s is Mix(s + n * Gamma).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
