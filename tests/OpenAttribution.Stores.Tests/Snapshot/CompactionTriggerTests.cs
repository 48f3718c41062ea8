using OpenAttribution.Stores.Snapshot;

namespace OpenAttribution.Stores.Tests.Snapshot;

public sealed class CompactionTriggerTests
{
    private const long Base = 10_000_000;

    /// <summary>12,500 rows plus a thirty-second of the base: the default threshold.</summary>
    private const long Threshold = 12_500 + Base / 32;

    [Fact]
    public void AStoreThatUpdatesOnceNeverCompacts()
    {
        var trigger = new CompactionTrigger();
        Assert.False(trigger.Due(Base, Base)); // the first update, however large its delta
        Assert.True(trigger.Due(Base, Base));
    }

    [Fact]
    public void ADeltaPastTheThresholdIsDue()
    {
        var trigger = new CompactionTrigger();
        trigger.Due(Base, 0);
        Assert.False(trigger.Due(Base, Threshold));
        Assert.True(trigger.Due(Base, Threshold + 1));
    }

    [Fact]
    public void AfterASwapTheDeltaMustOutgrowWhatTheCompactionLeft()
    {
        var trigger = new CompactionTrigger();
        trigger.Due(Base, 0);
        trigger.Swapped();

        // A slow build left 400,000 rows (past the threshold): not again until twice that.
        Assert.False(trigger.Due(Base, 400_000));
        Assert.False(trigger.Due(Base, 600_000));
        Assert.True(trigger.Due(Base, 800_001));

        // One that left 600,000: due half-way to the blocking build (50,000 + an eighth of the base) all the same.
        trigger.Swapped();
        Assert.False(trigger.Due(Base, 600_000));
        Assert.False(trigger.Due(Base, 650_000));
        Assert.True(trigger.Due(Base, 650_001));

        // After a full build the threshold decides.
        trigger.Rebuilt();
        Assert.True(trigger.Due(Base, Threshold + 1));

        // A quick one left little: the threshold decides again.
        trigger.Swapped();
        Assert.False(trigger.Due(Base, 20_000));
        Assert.False(trigger.Due(Base, Threshold));
        Assert.True(trigger.Due(Base, Threshold + 1));
    }

    [Fact]
    public void ShareAndGrowthCanBeSetToCompactAfterEveryUpdate()
    {
        var trigger = new CompactionTrigger { Share = 0, Growth = 0 };
        Assert.False(trigger.Due(Base, 1));
        trigger.Swapped();
        Assert.True(trigger.Due(Base, 1));
        Assert.False(trigger.Due(Base, 0)); // an empty delta has nothing to compact
    }
}
