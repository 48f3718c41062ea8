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
            (onBatch, _) =>
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
            (onBatch, _) =>
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
            (onBatch, _) =>
            {
                onBatch(Empty());
                throw new IOException("store broke");
            },
            _ => Interlocked.Increment(ref consumed)));
        Assert.Equal("store broke", error.Message);
        Assert.True(consumed <= 1);
    }

    [Fact]
    public void AFailingConsumerCancelsTheProducersToken()
    {
        var sawCancel = false;
        var error = Assert.Throws<InvalidDataException>(() => JourneyPipeline.Run(
            (onBatch, stop) =>
            {
                onBatch(Empty());
                sawCancel = stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                stop.ThrowIfCancellationRequested();
                return 0;
            },
            _ => throw new InvalidDataException("consumer broke")));
        Assert.True(sawCancel);
        Assert.Equal("consumer broke", error.Message);
    }

    [Fact]
    public void ACancelledCallerStopsBothSides()
    {
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => JourneyPipeline.Run(
            (onBatch, stop) =>
            {
                onBatch(Empty());
                cancel.Cancel();
                stop.ThrowIfCancellationRequested();
                return 0;
            },
            _ => { },
            cancel.Token));
    }

    /// <summary>
    /// The consumer interns <c>(none)</c> into the names the batches share while the producer builds the
    /// next batches: the producer must not read them (a batch's Direct id once came out -1 mid-resize).
    /// </summary>
    [Fact]
    public void BatchesKeepTheirDirectIdWhileTheConsumerInternsNames()
    {
        var wrong = 0;
        for (var run = 0; run < 2000; run++)
        {
            var names = new Dimensions();
            foreach (var channel in new[] { "Email", "Paid Search", "Organic Search", "Referral", "Display", "Affiliates", "Direct" })
            {
                names.Channels.Intern(channel);
            }

            var sources = Enumerable.Range(0, 7).Select(c => (c, -1, -1, -1)).ToArray();
            var accumulator = new OpenAttribution.Core.Models.AttributionAccumulator([OpenAttribution.Core.Models.ModelSpec.Of(OpenAttribution.Core.Models.ModelKind.LastNonDirect)]);
            JourneyPipeline.Run(
                (onBatch, _) =>
                {
                    var stream = new JourneyStream(names, sources, [], null, 0, onBatch, batchTouches: 1);
                    for (var p = 0; p < 40; p++)
                    {
                        stream.Add([p], [p], [EventType.Touch], [p % 7], [-1], [0]);
                    }

                    stream.Complete();
                    return 0;
                },
                batch =>
                {
                    accumulator.Add(batch);
                    if (batch.DirectId != 6)
                    {
                        wrong++;
                    }
                });
        }

        Assert.Equal(0, wrong);
    }

    private static JourneySet Empty()
    {
        JourneySet? set = null;
        var stream = new JourneyStream(new Dimensions(), [], [], null, 0, b => set = b);
        stream.Complete();
        return set!;
    }
}
