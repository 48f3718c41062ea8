using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Tests.Journeys;

public class JourneyPipelineTests
{
    [Fact]
    public void BatchesAreConsumedInOrderOnAnotherThread()
    {
        var produced = Enumerable.Range(0, 50).Select(_ => Empty()).ToList();
        var consumed = new List<JourneySet>();
        var producer = Environment.CurrentManagedThreadId;
        var consumerThreads = new HashSet<int>();
        var result = JourneyPipeline.Run(
            onBatch =>
            {
                produced.ForEach(onBatch);
                return 42;
            },
            batch =>
            {
                consumerThreads.Add(Environment.CurrentManagedThreadId);
                consumed.Add(batch);
            });
        Assert.Equal(42, result);
        Assert.Equal(produced, consumed);
        Assert.DoesNotContain(producer, consumerThreads);
    }

    [Fact]
    public void AFailingConsumerStopsTheProducerAndItsErrorIsRethrown()
    {
        var produced = 0;
        var error = Assert.Throws<InvalidDataException>(() => JourneyPipeline.Run(
            onBatch =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    onBatch(Empty());
                    produced++;
                }

                return 0;
            },
            _ => throw new InvalidDataException("consumer broke")));
        Assert.Equal("consumer broke", error.Message);
        Assert.True(produced < 1000);
    }

    [Fact]
    public void AFailingProducerIsRethrownAfterTheConsumerStops()
    {
        var consumed = 0;
        var error = Assert.Throws<IOException>(() => JourneyPipeline.Run<int>(
            onBatch =>
            {
                onBatch(Empty());
                throw new IOException("store broke");
            },
            _ => Interlocked.Increment(ref consumed)));
        Assert.Equal("store broke", error.Message);
        Assert.True(consumed <= 1);
    }

    private static JourneySet Empty()
    {
        JourneySet? set = null;
        var stream = new JourneyStream(new Dimensions(), [], [], null, 0, b => set = b);
        stream.Complete();
        return set!;
    }
}
