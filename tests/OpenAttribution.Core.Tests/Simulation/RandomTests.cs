using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

public class RandomTests
{
    [Fact]
    public void SplitMix64MatchesTheReferenceOutputs()
    {
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(7960286522194355700UL, random.Next());
    }

    [Fact]
    public void Xoshiro256StarStarMatchesTheReferenceOutputs()
    {
        var random = new Xoshiro256(1, 2, 3, 4);
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], [random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()]);
    }

    [Fact]
    public void UniformsStayInTheUnitIntervalAndAverageOneHalf()
    {
        var random = Xoshiro256.ForPerson(7, 3);
        var sum = 0.0;
        for (var i = 0; i < 100_000; i++)
        {
            var u = random.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            sum += u;
        }

        Assert.InRange(sum / 100_000, 0.497, 0.503);
    }

    [Fact]
    public void EveryPersonHasTheirOwnStream()
    {
        var a = Xoshiro256.ForPerson(42, 0);
        var b = Xoshiro256.ForPerson(42, 1);
        var c = Xoshiro256.ForPerson(43, 0);
        var first = a.NextUInt64();
        Assert.NotEqual(first, b.NextUInt64());
        Assert.NotEqual(first, c.NextUInt64());
        Assert.Equal(first, Xoshiro256.ForPerson(42, 0).NextUInt64());
    }
}
