namespace OpenAttribution.Core;

/// <summary>
/// How Core's parallel loops run: on the scheduler of the task that calls them. A command line calls
/// from the thread pool's default scheduler, so its loops use every core; a host that runs reports
/// on threads of its own (the server's report threads) keeps their loops on those threads, so a
/// report never takes the threads that serve requests.
/// </summary>
internal static class Parallelism
{
    public static ParallelOptions Options(CancellationToken cancellationToken = default) =>
        new() { TaskScheduler = TaskScheduler.Current, CancellationToken = cancellationToken };
}
