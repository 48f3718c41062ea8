using System.Collections.Concurrent;

namespace OpenAttribution.Server.Reports;

/// <summary>
/// Threads of the server's own for reports: a report's work, and the parallel loops inside it (Core
/// runs its loops on the calling task's scheduler), never occupy the thread pool that serves requests,
/// so ingestion and static files keep answering while a long report runs. A task waited on from one
/// of these threads may run inline there, so a parallel loop never waits for a thread it is holding.
/// </summary>
internal sealed class ReportScheduler : TaskScheduler, IDisposable
{
    [ThreadStatic]
    private static ReportScheduler? s_current;

    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread[] _threads;

    public ReportScheduler(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"report-{i + 1}", Priority = ThreadPriority.BelowNormal };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>True on one of this scheduler's threads.</summary>
    public bool IsCurrentThread => s_current == this;

    public void Dispose()
    {
        _tasks.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _tasks.Dispose();
    }

    protected override void QueueTask(Task task) => _tasks.Add(task);

    // A task queued before and run here inline is skipped when a thread dequeues it later
    // (TryExecuteTask runs a task once).
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => IsCurrentThread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Work()
    {
        s_current = this;
        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
