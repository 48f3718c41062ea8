using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Tests.DuckDb;

public sealed class EventIdHashSetTests
{
    [Fact]
    public void AHashAddedTwiceIsReportedAndGrowingKeepsEveryHash()
    {
        var set = new EventIdHashSet();
        // Enough to grow the table several times; 0 (the empty-slot mark) is a hash like any other.
        for (ulong i = 0; i < 300_000; i++)
        {
            Assert.True(set.Add(i * 0x9E3779B97F4A7C15UL));
        }

        for (ulong i = 0; i < 300_000; i += 997)
        {
            Assert.False(set.Add(i * 0x9E3779B97F4A7C15UL));
        }

        Assert.True(set.Add(12345));
        Assert.False(set.Add(12345));
    }

    [Fact]
    public void TheDefaultHashTellsIdsApartByTheirText()
    {
        Assert.Equal(EventIdHashSet.XxHash3Of("e1"), EventIdHashSet.XxHash3Of("e1".AsSpan()));
        Assert.NotEqual(EventIdHashSet.XxHash3Of("e1"), EventIdHashSet.XxHash3Of("e2"));
    }
}
