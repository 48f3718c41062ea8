using System.Threading.Channels;
using OpenAttribution.Server.Workspaces;
using OpenAttribution.Stores;

namespace OpenAttribution.Server.Ingestion;

/// <summary>
/// Group commit: the single writer of one workspace. Requests put their validated events into a
/// bounded queue and wait; the writer takes every waiting request (up to
/// <see cref="ServerOptions.MaxEventsPerCommit"/> events), stores them in one import transaction,
/// and after the commit answers each request with its own accepted and duplicate counts. A full
/// queue refuses new requests at once (the caller answers 503 with Retry-After), so under overload
/// nothing is acknowledged that is not stored and memory stays bounded.
/// </summary>
internal sealed class IngestWriter : IAsyncDisposable
{
    private readonly Workspace _workspace;
    private StoredEventIds? _stored;
    private Task<StoredEventIds>? _loading;
    private readonly ServerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingBatch> _queue;
    private readonly Task _loop;
    private readonly Channel<bool> _snapshotDue = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Task _snapshots;

    /// <summary>The least time from the start of one background snapshot update to the next.</summary>
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromMilliseconds(500);

    public IngestWriter(Workspace workspace, ServerOptions options, ILogger logger)
    {
        _workspace = workspace;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // The stored ids are read while the server waits for its first events, not by the first commit.
        _loading = Task.Run(() => StoredEventIds.Load(workspace.Store));
        _loop = Task.Run(RunAsync);
        _snapshots = Task.Run(RefreshSnapshotsAsync);
    }

    /// <summary>Queues <paramref name="events"/>; null when the queue is full (overload) or the server is stopping.</summary>
    public Task<IngestCounts>? TrySubmit(IReadOnlyList<IngestEvent> events)
    {
        var batch = new PendingBatch(events);
        return _queue.Writer.TryWrite(batch) ? batch.Done.Task : null;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingBatch>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var events = 0;
            while (events < _options.MaxEventsPerCommit && reader.TryRead(out var batch))
            {
                group.Add(batch);
                events += batch.Events.Count;
            }

            try
            {
                Commit(group);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Workspace {Workspace}: a group commit of {Events} events failed; nothing of it was stored", _workspace.Name, events);

                // The id set may hold ids of this group: read it again from the store.
                _stored = null;
                foreach (var batch in group)
                {
                    batch.Done.TrySetException(ex);
                }
            }
        }
    }

    private void Commit(List<PendingBatch> group)
    {
        var stored = _stored ??= Loaded();
        var counts = new IngestCounts[group.Count];
        long total = 0;
        // The id set has done the duplicate check, so a store that can skips its own (a scan of every stored id).
        var store = _workspace.Store;
        using (var import = store is ICheckedIdsImport checkedIds ? checkedIds.BeginImportOfCheckedIds() : store.BeginImport())
        {
            for (var b = 0; b < group.Count; b++)
            {
                long accepted = 0, duplicates = 0;
                foreach (var e in group[b].Events)
                {
                    if (e.EventId is { } id && !stored.Add(id))
                    {
                        duplicates++;
                        continue;
                    }

                    import.Add(e.ToRow(++total));
                    accepted++;
                }

                counts[b] = new IngestCounts(accepted, duplicates);
            }

            var committed = import.Commit();
            if (committed.Stored != total)
            {
                // Another program stored some of these ids meanwhile; the id set is read again.
                _logger.LogWarning("Workspace {Workspace}: {Duplicates} events were stored by another writer meanwhile and dropped as duplicates", _workspace.Name, committed.Duplicates);
                _stored = null;
            }
        }

        if (total > 0)
        {
            _workspace.Changed();
        }

        for (var b = 0; b < group.Count; b++)
        {
            group[b].Done.TrySetResult(counts[b]);
        }

        if (total > 0)
        {
            // The snapshot takes the new events in on its own loop, so neither these requests nor the
            // next commit wait for it; commits that land meanwhile are taken in together.
            _snapshotDue.Writer.TryWrite(true);
        }
    }

    /// <summary>The id set read at start (once), or read again after a failed commit.</summary>
    private StoredEventIds Loaded()
    {
        if (_loading is { } loading)
        {
            _loading = null;
            try
            {
                return loading.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidDataException or InvalidOperationException)
            {
                _logger.LogWarning(ex, "Workspace {Workspace}: reading the stored event ids failed; trying again", _workspace.Name);
            }
        }

        return StoredEventIds.Load(_workspace.Store);
    }

    /// <summary>
    /// Brings the workspace's resolved snapshot up to date after commits (work in proportion to the new
    /// events), so that a report finds it current, or nearly, and pays little for read-your-writes.
    /// </summary>
    private async Task RefreshSnapshotsAsync()
    {
        if (_workspace.Store is not IResolvedEventSource resolved)
        {
            return;
        }

        while (await _snapshotDue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_snapshotDue.Reader.TryRead(out _))
            {
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                resolved.EnsureSnapshot();

                // An update costs about the same for 100 events as for 1,000 (its lookups, not its
                // rows, dominate), so under steady ingestion the loop waits a little and takes the
                // commits of that while in together: a fraction of a core instead of all of one. A
                // report meanwhile applies what is left itself (read your writes), so none waits for it.
                var wait = SnapshotInterval - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero && !_queue.Reader.Completion.IsCompleted)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidDataException or InvalidOperationException)
            {
                _logger.LogWarning(ex, "Workspace {Workspace}: the snapshot could not take in the new events; the next report tries again", _workspace.Name);
            }
        }
    }

    /// <summary>Stops taking requests and stores every queued one before returning.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _snapshotDue.Writer.TryComplete();
        await _snapshots.ConfigureAwait(false);

        // The store is closed after this: a read of the ids still running (no commit came) ends first.
        if (_loading is { } loading)
        {
            await ((Task)loading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private sealed class PendingBatch(IReadOnlyList<IngestEvent> events)
    {
        public IReadOnlyList<IngestEvent> Events { get; } = events;

        public TaskCompletionSource<IngestCounts> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
