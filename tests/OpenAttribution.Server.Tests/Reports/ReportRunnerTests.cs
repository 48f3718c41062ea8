using Microsoft.Extensions.Options;
using OpenAttribution.Server.Reports;

namespace OpenAttribution.Server.Tests.Reports;

public sealed class ReportRunnerTests
{
    private static ReportRunner Runner(int concurrent, int queued, double timeoutSeconds = 60) =>
        new(Options.Create(new ServerOptions { MaxConcurrentReports = concurrent, MaxQueuedReports = queued, ReportTimeoutSeconds = timeoutSeconds }));

    [Fact]
    public async Task AReportAndTheParallelLoopsInsideItRunOnReportThreadsNotOnThePoolThatServesRequests()
    {
        using var runner = Runner(concurrent: 2, queued: 0);

        var (outcome, threads) = await runner.RunAsync(
            token =>
            {
                var seen = new System.Collections.Concurrent.ConcurrentBag<(bool Pool, string? Name)>();
                Parallel.For(0, 64, new ParallelOptions { TaskScheduler = TaskScheduler.Current }, _ =>
                {
                    Thread.Sleep(1);
                    seen.Add((Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
                });
                seen.Add((Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
                return seen.ToList();
            },
            CancellationToken.None);

        Assert.Equal(ReportOutcome.Done, outcome);
        Assert.All(threads!, t => Assert.False(t.Pool));
        Assert.All(threads!, t => Assert.StartsWith("report-", t.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneReportThreadStillRunsAParallelLoopToTheEnd()
    {
        using var runner = Runner(concurrent: 1, queued: 0);

        var (outcome, sum) = await runner.RunAsync(
            _ =>
            {
                long total = 0;
                Parallel.For(0, 1000, new ParallelOptions { TaskScheduler = TaskScheduler.Current }, i => Interlocked.Add(ref total, i));
                return total;
            },
            CancellationToken.None);

        Assert.Equal((ReportOutcome.Done, 499_500L), (outcome, sum));
    }

    [Fact]
    public async Task BeyondTheRunningAndWaitingReportsAReportIsRefusedAtOnce()
    {
        using var runner = Runner(concurrent: 1, queued: 1);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();

        var running = runner.RunAsync(_ => { started.Set(); release.Wait(); return 1; }, CancellationToken.None);
        started.Wait();
        var waiting = runner.RunAsync(_ => 2, CancellationToken.None);
        var refused = await runner.RunAsync(_ => 3, CancellationToken.None);

        Assert.Equal(ReportOutcome.Busy, refused.Outcome);
        Assert.False(waiting.IsCompleted);
        release.Set();
        Assert.Equal((ReportOutcome.Done, 1), await running);
        Assert.Equal((ReportOutcome.Done, 2), await waiting);
        Assert.Equal((ReportOutcome.Done, 4), await runner.RunAsync(_ => 4, CancellationToken.None));
    }

    [Fact]
    public async Task AReportPastTheTimeLimitIsCancelledAndFreesItsTurn()
    {
        using var runner = Runner(concurrent: 1, queued: 4, timeoutSeconds: 0.2);

        var (outcome, _) = await runner.RunAsync(
            token =>
            {
                // A long report that stops at its token, as journey streaming and the Markov solvers do.
                token.WaitHandle.WaitOne();
                token.ThrowIfCancellationRequested();
                return 0;
            },
            CancellationToken.None);

        Assert.Equal(ReportOutcome.TimedOut, outcome);
        Assert.Equal((ReportOutcome.Done, 7), await runner.RunAsync(_ => 7, CancellationToken.None));
    }

    [Fact]
    public void BadSettingsAreRefusedNamingThem()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Runner(concurrent: 0, queued: -1));
        Assert.Equal(["maxConcurrentReports '0' must be at least 1", "maxQueuedReports '-1' must be at least 0"], error.Failures);
    }
}
