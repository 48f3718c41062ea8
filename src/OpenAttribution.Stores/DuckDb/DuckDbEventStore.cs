using System.Data.Common;
using DuckDB.NET.Data;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The embedded default store: one DuckDB file (spec section 7), created with its schema when
/// missing. Events keep every raw field and a global input order <c>seq</c>; channels are grouped
/// when reading, so reports from the store equal reports from the imported files for any rules.
/// Each operation runs on its own connection to the one open database, so imports and reads may run
/// on several threads; imports are serialised only for the moment of their commit.
/// </summary>
public sealed class DuckDbEventStore : IEventStore, IResolvedEventSource, ICheckedIdsImport, Snapshot.IBackgroundCompaction
{
    /// <summary>
    /// No ORDER BY: rows are stored in seq order (see <see cref="DuckDbImport"/>) and DuckDB keeps the
    /// stored order in a scan of one table; the reader checks it. Sorting 10M events costs 4x the time
    /// and gigabytes of memory.
    /// </summary>
    private static readonly string SelectEvents = $"SELECT seq, {DuckDbSchema.EventColumns} FROM events";

    private readonly string _connectionString;
    private readonly string? _schema;
    private readonly DuckDBConnection _root;
    private bool _disposed;

    /// <summary>Opens the DuckDB file at <paramref name="path"/>, creating it (and its folder) when missing.</summary>
    /// <summary>What follows a DuckDB file's path to name a schema of it: <c>data.duckdb?schema=ws_0123456789abcdef</c>.</summary>
    public const string SchemaSuffix = "?schema=";

    /// <summary>The store of a DuckDB file, or of one schema of it (<c>path?schema=NAME</c>, a server's workspace).</summary>
    public DuckDbEventStore(string path)
        : this(Split(path))
    {
    }

    private DuckDbEventStore((string Path, string? Schema) location)
        : this(location.Path, location.Schema)
    {
    }

    private static (string Path, string? Schema) Split(string location) =>
        location.LastIndexOf(SchemaSuffix, StringComparison.Ordinal) is var at and >= 0
            ? (location[..at], location[(at + SchemaSuffix.Length)..])
            : (location, null);

    /// <summary>
    /// Opens the store kept in the schema <paramref name="schema"/> of the DuckDB file (created when
    /// missing), or in the default schema when null: the server keeps one workspace per schema.
    /// </summary>
    public DuckDbEventStore(string path, string? schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (schema is not null && !SchemaNames.IsValid(schema))
        {
            throw new ArgumentException($"schema '{schema}': not a plain identifier (letters, digits and _, not starting with a digit, at most 63 characters).", nameof(schema));
        }

        var full = DuckDbSchema.PrepareFile(path);

        _schema = schema;
        Description = schema is null ? $"DuckDB file {full}" : $"DuckDB file {full} (schema {schema})";
        _connectionString = new DuckDBConnectionStringBuilder { DataSource = full }.ConnectionString;
        _root = new DuckDBConnection(_connectionString);
        try
        {
            _root.Open();
            if (schema is not null)
            {
                DuckDbSchema.Execute(_root, $"CREATE SCHEMA IF NOT EXISTS {schema}");
                UseSchema(_root);
            }

            DuckDbSchema.Ensure(_root, full, schema ?? "main");
        }
        catch
        {
            _root.Dispose();
            throw;
        }
    }

    public string Description { get; }

    /// <summary>Held by an import while it catches up with imports committed since it began, and commits (<see cref="DuckDbImport"/>).</summary>
    internal Lock CommitLock { get; } = new();

    private readonly Lock _snapshotLock = new();

    public IStoreImport BeginImport() => new DuckDbImport(this, Connect());

    public IStoreImport BeginImportOfCheckedIds() => new DuckDbImport(this, Connect(), checkIds: false);

    /// <summary>An import that tells repeated event ids apart with <paramref name="hash"/> (tests: a hash that collides).</summary>
    internal DuckDbImport BeginImport(EventIdHash hash) => new(this, Connect(), checkIds: true, hash);

    public long ReadEvents(IEventSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var connection = Connect();
        return new DuckDbEventReader().Read(connection, SelectEvents, sink, cancellationToken);
    }

    public long ReadEventIds(EventIdAction onId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onId);
        using var connection = Connect();
        return new DuckDbEventReader().ReadIds(connection, "SELECT event_id FROM events WHERE event_id IS NOT NULL", onId, cancellationToken);
    }

    /// <summary>
    /// Every event with people and traffic sources resolved by DuckDB (<see cref="DuckDbSnapshot"/>,
    /// rebuilt first when an import changed the events), read as numeric columns only.
    /// </summary>
    public EventTable ReadResolved(Core.Channels.ChannelGrouping grouping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        using var connection = Connect();
        using var second = Connect();
        DuckDBTransaction transaction, secondTransaction;
        lock (_snapshotLock)
        {
            AfterEnsure(connection, DuckDbSnapshot.Ensure(connection, BasePeople, CompactionRunning));

            // Both read transactions start (with a first read) before any other rebuild can commit, so
            // they see the same snapshot; a later rebuild does not disturb them (DuckDB keeps the old
            // version for them).
            transaction = connection.BeginTransaction();
            secondTransaction = second.BeginTransaction();
            DuckDbSnapshot.Touch(connection);
            DuckDbSnapshot.Touch(second);
        }

        using (transaction)
        using (secondTransaction)
        {
            return DuckDbResolvedReader.Read(connection, second, grouping, cancellationToken);
        }
    }

    /// <summary>
    /// The journeys of every stored person, built while the resolved snapshot streams in (rebuilt first
    /// when an import changed the events), in batches of whole people.
    /// </summary>
    public long ReadJourneys(
        Core.Channels.ChannelGrouping grouping,
        Core.Journeys.JourneyOptions options,
        Action<Core.Journeys.JourneySet> onBatch,
        CancellationToken cancellationToken = default,
        int batchTouches = Core.Journeys.JourneyStream.DefaultBatchTouches)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onBatch);
        return ReadSnapshot(connection => DuckDbResolvedReader.ReadJourneys(connection, grouping, options, onBatch, batchTouches, cancellationToken));
    }

    /// <summary>The snapshot in parts for a kept report (brought up to date first, as <see cref="ReadJourneys"/>).</summary>
    public Snapshot.SnapshotMark ReadJourneyParts(
        Core.Channels.ChannelGrouping grouping,
        Core.Journeys.JourneyOptions options,
        Snapshot.SnapshotMark? since,
        Action<Core.Journeys.JourneyPart, Core.Journeys.JourneySet> onBatch,
        CancellationToken cancellationToken = default,
        int batchTouches = Core.Journeys.JourneyStream.DefaultBatchTouches)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onBatch);
        return ReadSnapshot(connection => DuckDbResolvedReader.ReadJourneyParts(connection, grouping, options, since, onBatch, batchTouches, cancellationToken));
    }

    /// <summary>
    /// Brings the snapshot up to date under the snapshot lock, then runs <paramref name="read"/> in a
    /// transaction that started on it (a later update does not disturb it: DuckDB keeps the old version).
    /// </summary>
    private T ReadSnapshot<T>(Func<DuckDBConnection, T> read)
    {
        using var connection = Connect();
        DuckDBTransaction transaction;
        lock (_snapshotLock)
        {
            AfterEnsure(connection, DuckDbSnapshot.Ensure(connection, BasePeople, CompactionRunning));
            transaction = connection.BeginTransaction();
            DuckDbSnapshot.Touch(connection);
        }

        using (transaction)
        {
            return read(connection);
        }
    }

    /// <summary>
    /// The base people in memory for incremental updates, once loaded: from this store's second update
    /// on, the base people of the current build are loaded in the background (on a connection of their
    /// own, ~1 s at 10M events), and the updates scan for their people until the load is done. A store
    /// that stays open (the server) then finds a batch's people without scanning every base key; one
    /// that updates once (an import) never loads them. Called under the snapshot lock.
    /// </summary>
    private DuckDbBasePeople? BasePeople(DuckDBConnection connection, string build)
    {
        var loaded = Volatile.Read(ref _basePeople);
        if (loaded?.Build == build)
        {
            return loaded;
        }

        if (++_snapshotUpdates >= 2 && _loadingBuild != build)
        {
            Volatile.Write(ref _loadingBuild, build);
            BasePeopleLoad = Task.Run(() => LoadBasePeople(build));
        }

        return null;
    }

    private void LoadBasePeople(string build)
    {
        try
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT build FROM snapshot_meta";
            if (command.ExecuteScalar() as string == build)
            {
                var loaded = DuckDbBasePeople.Load(connection, build);

                // A load for a later build may have started meanwhile: only the latest is kept.
                if (Volatile.Read(ref _loadingBuild) == build)
                {
                    Volatile.Write(ref _basePeople, loaded);
                }
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidDataException or ObjectDisposedException or InvalidOperationException)
        {
            // The store closed, or a rebuild replaced the build meanwhile: the updates go on scanning.
        }
    }

    /// <summary>The latest load of the base people (for tests that need the updates to use them).</summary>
    internal Task? BasePeopleLoad { get; private set; }

    /// <summary>The build whose base people are in memory, if any.</summary>
    internal string? BasePeopleBuild => Volatile.Read(ref _basePeople)?.Build;

    private DuckDbBasePeople? _basePeople;
    private string? _loadingBuild;
    private int _snapshotUpdates;

    public bool IsSnapshotCurrent()
    {
        using var connection = Connect();
        return DuckDbSnapshot.IsCurrent(connection);
    }

    public Snapshot.SnapshotRefresh EnsureSnapshot()
    {
        using var connection = Connect();
        lock (_snapshotLock)
        {
            var refresh = DuckDbSnapshot.Ensure(connection, BasePeople, CompactionRunning);
            AfterEnsure(connection, refresh);
            return refresh;
        }
    }

    /// <summary>
    /// After an incremental update (under the snapshot lock): in a store that updates again and again
    /// (the server), a delta grown as <see cref="Snapshot.CompactionTrigger"/> says starts a compaction
    /// in the background, so that steady ingestion does not reach the blocking full build: updates and
    /// reports go on during it, and it holds the lock only to catch up with the last events and swap.
    /// </summary>
    private void AfterEnsure(DuckDBConnection connection, Snapshot.SnapshotRefresh refresh)
    {
        if (refresh == Snapshot.SnapshotRefresh.Full)
        {
            _compaction.Rebuilt();
        }

        if (refresh != Snapshot.SnapshotRefresh.Incremental || CompactionRunning)
        {
            return;
        }

        var meta = DuckDbSnapshotUpdate.Meta.Read(connection);
        if (!_compaction.Due(meta.BaseRows, meta.DeltaRows))
        {
            return;
        }

        _compaction.Latest = Task.Run(Compact);
    }

    /// <summary>
    /// A full build beside the snapshot while updates go on (<see cref="DuckDbSnapshot.BuildBeside"/>),
    /// then swapped in under the lock (<see cref="DuckDbSnapshot.SwapIn"/>).
    /// </summary>
    private bool Compact()
    {
        try
        {
            using var connection = Connect();
            Volatile.Write(ref _compacting, connection);
            try
            {
                var stop = _stopCompaction.Token;
                var replaced = DuckDbSnapshot.BuildBeside(connection, stop);
                _compaction.BeforeSwap?.Invoke();
                lock (_snapshotLock)
                {
                    stop.ThrowIfCancellationRequested();
                    var swapped = DuckDbSnapshot.SwapIn(connection, replaced);
                    if (swapped)
                    {
                        _compaction.Swapped();
                    }

                    return swapped;
                }
            }
            finally
            {
                Volatile.Write(ref _compacting, null);
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidDataException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The store closed (the build interrupted), or the build failed: the snapshot stays as it
            // was and the updates go on (past the blocking threshold, the next update rebuilds under
            // the lock). The tables built beside are replaced by the next compaction.
            return false;
        }
    }

    private bool CompactionRunning => _compaction.Running;

    private readonly Snapshot.CompactionTrigger _compaction = new();

    Snapshot.CompactionTrigger Snapshot.IBackgroundCompaction.CompactionTrigger => _compaction;

    void Snapshot.IBackgroundCompaction.BuildFully()
    {
        using var connection = Connect();
        lock (_snapshotLock)
        {
            DuckDbSnapshot.Build(connection);
        }
    }

    string Snapshot.IBackgroundCompaction.CurrentBuild()
    {
        using var connection = Connect();
        return DuckDbSnapshotUpdate.Meta.Read(connection).Build;
    }

    int Snapshot.IBackgroundCompaction.TablesBeside()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name LIKE 'snapshot%{DuckDbSnapshot.BesideSuffix}'";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private DuckDBConnection? _compacting;
    private readonly CancellationTokenSource _stopCompaction = new();

    public long CountEvents()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void ImportCosts(IReadOnlyList<CostRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        InsertCosts(connection, rows);
        transaction.Commit();
    }

    public long ReplaceCosts(DateOnly? from, DateOnly? to, IReadOnlyList<CostRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        long deleted;
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM costs WHERE ($1 IS NULL OR date >= $1) AND ($2 IS NULL OR date <= $2)";
            delete.Parameters.Add(new DuckDBParameter(from is { } f ? f : DBNull.Value));
            delete.Parameters.Add(new DuckDBParameter(to is { } t ? t : DBNull.Value));
            deleted = delete.ExecuteNonQuery();
        }

        InsertCosts(connection, rows);
        transaction.Commit();
        return deleted;
    }

    private static void InsertCosts(DuckDBConnection connection, IReadOnlyList<CostRow> rows)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO costs (date, channel, campaign, cost, currency) VALUES ($1, $2, $3, $4, $5)";
        var date = new DuckDBParameter();
        var channel = new DuckDBParameter();
        var campaign = new DuckDBParameter();
        var cost = new DuckDBParameter();
        var currency = new DuckDBParameter();
        command.Parameters.Add(date);
        command.Parameters.Add(channel);
        command.Parameters.Add(campaign);
        command.Parameters.Add(cost);
        command.Parameters.Add(currency);
        foreach (var row in rows)
        {
            date.Value = row.Date;
            channel.Value = row.Channel;
            campaign.Value = (object?)row.Campaign ?? DBNull.Value;
            cost.Value = row.Cost;
            currency.Value = row.Currency;
            command.ExecuteNonQuery();
        }
    }

    public IReadOnlyList<CostRow> ReadCosts()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT date, channel, campaign, cost, currency FROM costs ORDER BY date, channel, campaign NULLS FIRST";
        using var reader = command.ExecuteReader();
        return CostRowReader.ReadAll(reader);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;

            // A load of the base people or a compaction still running holds a connection: it ends
            // before the database closes (a compaction is interrupted; its tables are left for the next).
            try
            {
                _stopCompaction.Cancel(); // checked between the build's steps and before the swap
                if (Volatile.Read(ref _compacting) is { } compacting)
                {
                    using var interrupt = compacting.CreateCommand();
                    interrupt.Cancel(); // the statement running now
                }

                BasePeopleLoad?.Wait(TimeSpan.FromSeconds(30));
                _compaction.Latest?.Wait(TimeSpan.FromSeconds(60));
            }
            catch (AggregateException)
            {
                // Its failure only meant scanning; nothing to report at close.
            }

            _root.Dispose();
        }
    }

    /// <summary>Makes unqualified table names on <paramref name="connection"/> resolve in this store's schema.</summary>
    private void UseSchema(DuckDBConnection connection)
    {
        if (_schema is not null)
        {
            DuckDbSchema.Execute(connection, $"SET schema = '{_schema}'");
        }
    }

    /// <summary>
    /// A new connection to the open database (a DuckDB connection is not thread-safe; the database is).
    /// DuckDB.NET shares one database instance among the open connections to a file, which
    /// <c>_root</c> keeps open, so this is cheap.
    /// </summary>
    internal DuckDBConnection Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new DuckDBConnection(_connectionString);
        try
        {
            connection.Open();
            UseSchema(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
