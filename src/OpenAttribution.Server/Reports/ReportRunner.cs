using Microsoft.Extensions.Options;

namespace OpenAttribution.Server.Reports;

/// <summary>
/// Runs reports off the request threads (on <see cref="ReportScheduler"/>'s), at most
/// <see cref="ServerOptions.MaxConcurrentReports"/> at a time with up to
/// <see cref="ServerOptions.MaxQueuedReports"/> waiting for a turn; beyond that a report is refused at
/// once (<see cref="ReportOutcome.Busy"/>, the caller answers 503 with Retry-After). A report that has
/// not finished <see cref="ServerOptions.ReportTimeoutSeconds"/> after it was asked for, waiting
/// included, is cancelled (<see cref="ReportOutcome.TimedOut"/>).
/// </summary>
internal sealed class ReportRunner : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ReportScheduler _scheduler;
    private readonly int _capacity;
    private readonly TimeSpan _timeout;
    private int _admitted;

    public ReportRunner(IOptions<ServerOptions> options)
    {
        var o = options.Value;
        var problems = new List<string>();
        if (o.MaxConcurrentReports < 1)
        {
            problems.Add($"maxConcurrentReports '{o.MaxConcurrentReports}' must be at least 1");
        }

        if (o.MaxQueuedReports < 0)
        {
            problems.Add($"maxQueuedReports '{o.MaxQueuedReports}' must be at least 0");
        }

        if (!(o.ReportTimeoutSeconds > 0) || o.ReportTimeoutSeconds > int.MaxValue / 1000)
        {
            problems.Add($"reportTimeoutSeconds '{o.ReportTimeoutSeconds}' must be a positive number of seconds");
        }

        if (!(o.MaxMarkovWork > 0))
        {
            problems.Add($"maxMarkovWork '{o.MaxMarkovWork}' must be positive");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(ServerOptions), typeof(ServerOptions), problems);
        }

        _slots = new SemaphoreSlim(o.MaxConcurrentReports, o.MaxConcurrentReports);
        _scheduler = new ReportScheduler(o.MaxConcurrentReports);
        _capacity = o.MaxConcurrentReports + o.MaxQueuedReports;
        _timeout = TimeSpan.FromSeconds(o.ReportTimeoutSeconds);
    }

    public TimeSpan Timeout => _timeout;

    /// <summary>Runs <paramref name="work"/> with a token cancelled at the time limit or when the request is aborted.</summary>
    public async Task<(ReportOutcome Outcome, T? Result)> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken requestAborted)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            return (ReportOutcome.Busy, default);
        }

        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            limit.CancelAfter(_timeout);
            try
            {
                await _slots.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
            {
                return (ReportOutcome.TimedOut, default);
            }

            try
            {
                var token = limit.Token;
                var result = await Task.Factory.StartNew(() => work(token), token, TaskCreationOptions.None, _scheduler);
                return (ReportOutcome.Done, result);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !requestAborted.IsCancellationRequested)
            {
                return (ReportOutcome.TimedOut, default);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    public void Dispose()
    {
        _scheduler.Dispose();
        _slots.Dispose();
    }
}

internal enum ReportOutcome
{
    Done,
    Busy,
    TimedOut,
}
