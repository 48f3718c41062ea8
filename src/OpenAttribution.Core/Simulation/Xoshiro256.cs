namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Blackman and Vigna's xoshiro256** 1.0: the simulator's random numbers. Our own rather than
/// <see cref="Random"/>, whose algorithm may change between .NET versions: a seed must reproduce the
/// same event file everywhere.
/// </summary>
internal struct Xoshiro256
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the state with four SplitMix64 outputs, as the authors recommend.</summary>
    public Xoshiro256(ulong seed)
    {
        var seeder = new SplitMix64(seed);
        _s0 = seeder.Next();
        _s1 = seeder.Next();
        _s2 = seeder.Next();
        _s3 = seeder.Next();
    }

    /// <summary>A generator with the given raw state (for checking against the reference outputs).</summary>
    internal Xoshiro256(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>The stream of person <paramref name="person"/> under <paramref name="seed"/>: independent of every other person's.</summary>
    public static Xoshiro256 ForPerson(long seed, long person) =>
        new(SplitMix64.Mix(unchecked((ulong)seed + ((ulong)person + 1) * SplitMix64.Gamma)));

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
