using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace OpenAttribution.Core.Journeys;

/// <summary>
/// Overlaps producing batches of journeys (reading a store, <see cref="JourneyStream"/>) with consuming
/// them (<see cref="Models.AttributionAccumulator.Add"/>): the consumer runs on another thread and takes
/// the batches in the order produced, with at most a few waiting, so memory stays bounded.
/// </summary>
public static class JourneyPipeline
{
    /// <summary>Batches produced but not yet consumed, at most.</summary>
    public const int Depth = 2;

    /// <summary>
    /// Calls <paramref name="produce"/> on this thread with a callback that queues each batch and a
    /// token that is cancelled when the consumer fails (or <paramref name="cancellationToken"/> is), and
    /// <paramref name="consume"/> with each batch, in order, on another thread. Returns what
    /// <paramref name="produce"/> returns once every batch is consumed; the first failure of either
    /// side stops both and is rethrown.
    /// </summary>
    public static T Run<T>(Func<Action<JourneySet>, CancellationToken, T> produce, Action<JourneySet> consume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentNullException.ThrowIfNull(consume);
        return Run<JourneySet, T>(produce, consume, cancellationToken);
    }

    /// <summary>
    /// <see cref="Run{T}(Func{Action{JourneySet}, CancellationToken, T}, Action{JourneySet}, CancellationToken)"/>
    /// for batches tagged with the part of the snapshot they come from, handed over in the order produced.
    /// </summary>
    public static T Run<T>(
        Func<Action<JourneyPart, JourneySet>, CancellationToken, T> produce, Action<JourneyPart, JourneySet> consume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentNullException.ThrowIfNull(consume);
        return Run<(JourneyPart Part, JourneySet Batch), T>(
            (onItem, stop) => produce((part, batch) => onItem((part, batch)), stop), item => consume(item.Part, item.Batch), cancellationToken);
    }

    private static T Run<TItem, T>(Func<Action<TItem>, CancellationToken, T> produce, Action<TItem> consume, CancellationToken cancellationToken)
    {
        using var queue = new BlockingCollection<TItem>(Depth);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var consumer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach (var batch in queue.GetConsumingEnumerable(stop.Token))
                    {
                        consume(batch);
                    }
                }
                catch
                {
                    stop.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        T result;
        try
        {
            result = produce(batch => queue.Add(batch, stop.Token), stop.Token);
        }
        catch (Exception ex)
        {
            stop.Cancel();
            WaitQuietly(consumer);
            if (ex is OperationCanceledException && consumer.Exception?.InnerException is { } failure and not OperationCanceledException)
            {
                // The consumer failed and so stopped the producer: its failure is the one to report.
                ExceptionDispatchInfo.Capture(failure).Throw();
            }

            throw;
        }
        finally
        {
            queue.CompleteAdding();
        }

        try
        {
            consumer.Wait(CancellationToken.None);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return result;
    }

    private static void WaitQuietly(Task task)
    {
        try
        {
            task.Wait(CancellationToken.None);
        }
        catch (AggregateException)
        {
            // reported by the caller
        }
    }
}
