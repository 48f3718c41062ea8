using System.Data;
using Npgsql;
using NpgsqlTypes;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// The shared server store (spec section 7): events and costs in one schema of a PostgreSQL database,
/// named by <c>postgresql://user:pass@host:port/db[?schema=NAME]</c>. The schema and its tables are
/// created when missing. Every raw field of an event is kept with its global input order <c>seq</c>;
/// channels are grouped when reading, so a changed rule set applies to old events too.
/// </summary>
public sealed class PostgreSqlEventStore : IEventStore, IResolvedEventSource, Snapshot.IBackgroundCompaction
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchema _schema;
    private bool _disposed;

    public PostgreSqlEventStore(string uri)
    {
        var location = PostgreSqlLocation.Parse(uri);
        Description = location.Description;
        _schema = new PostgreSqlSchema(location.Schema);
        _dataSource = _schema.Open(location);
    }

    public string Description { get; }

    /// <summary>The server's shared data source (tests check that stores on one server share it).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    public IStoreImport BeginImport()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new PostgreSqlImport(_dataSource.OpenConnection(), _schema);
    }

    public long ReadEvents(IEventSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand(
            $"""
            SELECT seq, event_id, ts_ticks, user_id, anonymous_id, type, channel, source, medium, campaign,
                   content, term, referrer, url, conversion, value
            FROM {_schema.Events}
            ORDER BY seq
            """,
            connection);
        // Npgsql streams the rows from the socket as they are read; with SequentialAccess not even a
        // whole row is buffered. A cancellation stops the query on the server instead of draining it.
        using var cancel = cancellationToken.Register(static c => ((NpgsqlCommand)c!).Cancel(), command);
        long count = 0;
        try
        {
            using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                var eventId = Text(reader, 1);
                var ticks = reader.GetInt64(2);
                var userId = Text(reader, 3);
                var anonymousId = Text(reader, 4);
                var type = StoredEventType.Parse(reader.GetString(5), "PostgreSQL store");
                var channel = Text(reader, 6);
                var source = Text(reader, 7);
                var medium = Text(reader, 8);
                var campaign = Text(reader, 9);
                var content = Text(reader, 10);
                var term = Text(reader, 11);
                var referrer = Text(reader, 12);
                var url = Text(reader, 13);
                var conversion = Text(reader, 14);
                var value = reader.GetDouble(15);
                sink.Accept(new EventRow
                {
                    Line = seq,
                    TimestampTicks = ticks,
                    Type = type,
                    Value = value,
                    EventId = eventId,
                    UserId = userId,
                    AnonymousId = anonymousId,
                    Channel = channel,
                    Source = source,
                    Medium = medium,
                    Campaign = campaign,
                    Content = content,
                    Term = term,
                    Referrer = referrer,
                    Url = url,
                    Conversion = conversion,
                });
                if ((++count & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Reading the events was cancelled.", e, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return count;
    }

    /// <summary>
    /// Every event with people and traffic sources resolved by PostgreSQL (<see cref="PostgreSqlSnapshot"/>,
    /// rebuilt first when an import changed the events), read by binary COPY as numeric columns only.
    /// </summary>
    public EventTable ReadResolved(Core.Channels.ChannelGrouping grouping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _dataSource.OpenConnection();
        AfterEnsure(connection, PostgreSqlSnapshot.Ensure(connection, _schema, _compaction.Running));
        return PostgreSqlResolvedReader.Read(connection, _schema, grouping, cancellationToken);
    }

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
        return ReadSnapshot(connection => PostgreSqlResolvedReader.ReadJourneys(connection, _schema, grouping, options, onBatch, batchTouches, cancellationToken), cancellationToken);
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
        return ReadSnapshot(connection => PostgreSqlResolvedReader.ReadJourneyParts(connection, _schema, grouping, options, since, onBatch, batchTouches, cancellationToken), cancellationToken);
    }

    /// <summary>Brings the snapshot up to date, then runs <paramref name="read"/> on a connection of its own.</summary>
    private T ReadSnapshot<T>(Func<NpgsqlConnection, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _dataSource.OpenConnection();
        AfterEnsure(connection, PostgreSqlSnapshot.Ensure(connection, _schema, _compaction.Running));
        return read(connection);
    }

    public bool IsSnapshotCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _dataSource.OpenConnection();
        return PostgreSqlSnapshot.IsCurrent(connection, _schema);
    }

    public Snapshot.SnapshotRefresh EnsureSnapshot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _dataSource.OpenConnection();
        var refresh = PostgreSqlSnapshot.Ensure(connection, _schema, _compaction.Running);
        AfterEnsure(connection, refresh);
        return refresh;
    }

    /// <summary>
    /// After an incremental update: in a store that updates again and again (from its second update
    /// on: the server), a delta grown as <see cref="Snapshot.CompactionTrigger"/> says starts a compaction in the background (a full build beside the snapshot, swapped in
    /// in one short transaction), so that steady ingestion does not reach the blocking full build.
    /// </summary>
    private void AfterEnsure(NpgsqlConnection connection, Snapshot.SnapshotRefresh refresh)
    {
        if (refresh == Snapshot.SnapshotRefresh.Full)
        {
            _compaction.Rebuilt();
        }

        if (refresh != Snapshot.SnapshotRefresh.Incremental)
        {
            return;
        }

        lock (_compactionLock)
        {
            if (_compaction.Running || _disposed)
            {
                return;
            }

            var (baseRows, deltaRows) = PostgreSqlSnapshotUpdate.Rows(connection, _schema);
            if (!_compaction.Due(baseRows, deltaRows))
            {
                return;
            }

            _compaction.Latest = Task.Run(Compact);
        }
    }

    private bool Compact()
    {
        var stop = _stopCompaction.Token;
        try
        {
            using var connection = _dataSource.OpenConnection();
            if (!PostgreSqlSnapshot.TryLockCompaction(connection, _schema))
            {
                return false; // another process compacts this schema
            }

            try
            {
                // Cancelling stops the statement running on the server; its transaction rolls back.
                using var cancel = stop.Register(CancelBackend, connection.ProcessID);
                if (PostgreSqlSnapshot.BuildBeside(connection, _schema, stop) is not { } replaced)
                {
                    return false;
                }

                _compaction.BeforeSwap?.Invoke();
                for (var attempt = 0; ; attempt++)
                {
                    stop.ThrowIfCancellationRequested();
                    switch (PostgreSqlSnapshot.SwapIn(connection, _schema, replaced))
                    {
                        case PostgreSqlSnapshot.SwapOutcome.Swapped:
                            _compaction.Swapped();
                            return true;
                        case PostgreSqlSnapshot.SwapOutcome.Busy when attempt < 40:
                            stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250)); // a long report holds the tables
                            break;
                        default:
                            return false;
                    }
                }
            }
            finally
            {
                PostgreSqlSnapshot.UnlockCompaction(connection, _schema);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ObjectDisposedException or InvalidDataException or OperationCanceledException)
        {
            // The store closed (the build cancelled) or the server went away: the build is rolled back
            // with its transaction, the snapshot stays as it was, and the updates go on. Tables left
            // beside by a build that committed are replaced by the next compaction's.
            return false;
        }
    }

    private readonly CancellationTokenSource _stopCompaction = new();

    /// <summary>Stops the statement that the server process <paramref name="pid"/> runs (a compaction's, at close).</summary>
    private void CancelBackend(object? pid)
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            using var command = new NpgsqlCommand("SELECT pg_cancel_backend(@p)", connection);
            command.Parameters.AddWithValue("p", (int)pid!);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server went away: the build ends with its connection.
        }
    }

    private readonly Lock _compactionLock = new();
    private readonly Snapshot.CompactionTrigger _compaction = new();

    Snapshot.CompactionTrigger Snapshot.IBackgroundCompaction.CompactionTrigger => _compaction;

    void Snapshot.IBackgroundCompaction.BuildFully()
    {
        using var connection = _dataSource.OpenConnection();
        PostgreSqlSnapshot.BuildFully(connection, _schema);
    }

    string Snapshot.IBackgroundCompaction.CurrentBuild()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT build FROM {_schema.SnapshotMeta}", connection);
        return (string)command.ExecuteScalar()!;
    }

    int Snapshot.IBackgroundCompaction.TablesBeside()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_tables WHERE schemaname = @s AND tablename LIKE @t", connection);
        command.Parameters.AddWithValue("s", _schema.Name);
        command.Parameters.AddWithValue("t", "snapshot%" + Snapshot.CompactionTrigger.BesideSuffix.Replace("_", "\\_", StringComparison.Ordinal));
        return (int)command.ExecuteScalar()!;
    }

    public long CountEvents()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema.Events}", connection);
        return (long)command.ExecuteScalar()!;
    }

    public void ImportCosts(IReadOnlyList<CostRow> rows) => ReplaceCosts(rows, delete: null);

    public long ReplaceCosts(DateOnly? from, DateOnly? to, IReadOnlyList<CostRow> rows) => ReplaceCosts(rows, (from, to));

    /// <summary>In one transaction: deletes the costs of the date range (when given), then copies the rows in.</summary>
    private long ReplaceCosts(IReadOnlyList<CostRow> rows, (DateOnly? From, DateOnly? To)? delete)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var row in rows)
        {
            if (string.IsNullOrEmpty(row.Channel) || string.IsNullOrEmpty(row.Currency) || !double.IsFinite(row.Cost))
            {
                throw new ArgumentException($"Cost row {row} needs a channel, a currency and a finite cost.", nameof(rows));
            }
        }

        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        long deleted = 0;
        if (delete is { } range)
        {
            using var command = new NpgsqlCommand($"DELETE FROM {_schema.Costs} WHERE (@f::date IS NULL OR date >= @f::date) AND (@t::date IS NULL OR date <= @t::date)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Date) { Value = range.From is { } f ? f : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.Date) { Value = range.To is { } t ? t : DBNull.Value });
            deleted = command.ExecuteNonQuery();
        }

        using (var importer = connection.BeginBinaryImport(
            $"COPY {_schema.Costs} (date, channel, campaign, cost, currency) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                importer.StartRow();
                importer.Write(row.Date, NpgsqlDbType.Date);
                importer.Write(row.Channel, NpgsqlDbType.Text);
                if (string.IsNullOrEmpty(row.Campaign))
                {
                    importer.WriteNull();
                }
                else
                {
                    importer.Write(row.Campaign, NpgsqlDbType.Text);
                }

                importer.Write(row.Cost, NpgsqlDbType.Double);
                importer.Write(row.Currency, NpgsqlDbType.Text);
            }

            importer.Complete();
        }

        transaction.Commit();
        return deleted;
    }

    public IReadOnlyList<CostRow> ReadCosts()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _dataSource.OpenConnection();
        // Ordinal order (the columns use the "C" collation); a channel's row without a campaign comes
        // before its campaigns, as in .NET's ordering of null strings; ties keep their import order.
        using var command = new NpgsqlCommand(
            $"SELECT date, channel, campaign, cost, currency FROM {_schema.Costs} ORDER BY date, channel, campaign NULLS FIRST, seq",
            connection);
        using var reader = command.ExecuteReader();
        return CostRowReader.ReadAll(reader);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            lock (_compactionLock)
            {
                _disposed = true;
            }

            // A compaction still running holds a connection of the shared source: it is stopped (its
            // statement cancelled, its transaction rolled back) and ends before the source is released.
            _stopCompaction.Cancel();
            try
            {
                _compaction.Latest?.Wait(TimeSpan.FromSeconds(30));
            }
            catch (AggregateException)
            {
            }

            _stopCompaction.Dispose();

            PostgreSqlDataSources.Release(_dataSource);
        }
    }

    public override string ToString() => Description;

    private static ReadOnlySpan<char> Text(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default : reader.GetString(ordinal).AsSpan();

}
