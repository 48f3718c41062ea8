using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// One import into a <see cref="DuckDbEventStore"/>, on its own connection and in one transaction.
/// The caller's rows are packed into Arrow record batches (<see cref="BatchRows"/> rows) and handed,
/// as an Arrow C stream (<see cref="DuckDbArrowNative"/>), to ONE <c>INSERT INTO events … SELECT …
/// FROM</c> the stream, which runs on a worker thread (and DuckDB's threads) while the caller parses:
/// DuckDB compresses and writes the rows as they come, so parsing and storing overlap.
/// <para>
/// The transaction begins when the import does, without the store's commit lock, so imports on
/// several threads run side by side. The rows are numbered provisionally after the largest seq the
/// transaction sees (<c>start</c>). <see cref="Commit"/> then, in the same transaction:
/// deletes repeats within the import (only when two of its id hashes were alike,
/// <see cref="EventIdHashSet"/>) and rows whose id was stored before <c>start</c> (only when
/// there were stored rows); then, under the commit lock, looks (on a second connection) for rows
/// that other imports committed after <c>start</c>: when there are any, it drops its rows that
/// repeat their ids and shifts its seqs past theirs; and commits. A scan of the stream keeps its
/// order (DuckDB's order preservation) and a transaction's rows are appended at its commit, so
/// <c>events</c> stays in seq order (the readers check it).
/// </para>
/// Until the commit the store is unchanged, so a dispose without commit or a killed process leaves
/// it as it was (DuckDB may have written blocks of the uncommitted rows, which it reuses later).
/// </summary>
internal sealed class DuckDbImport : IStoreImport
{
    /// <summary>Rows per record batch: one DuckDB row group, so each batch is compressed as it arrives.</summary>
    private const int BatchRows = 122_880;

    /// <summary>The first batch's room: small imports (the server's) allocate little.</summary>
    private const int FirstBatchRows = 1024;

    /// <summary>At most this many full batches wait for DuckDB (about 40 MB for typical events).</summary>
    private const int QueuedBatches = 3;

    private static long s_views;
    private const string Between = "oa_import_between";

    /// <summary>
    /// The insert selects EVERY column of the stream, in the stream's order: DuckDB's C API scan
    /// ignores the columns it pushes down to the stream and reads the batches as if projected, so a
    /// query on a subset of the view's columns would read the wrong Arrow arrays.
    /// </summary>
    private static string Insert(string view) => $"""
        INSERT INTO events (seq, {DuckDbSchema.EventColumns})
        SELECT $1 + ord, {DuckDbSchema.EventColumns} FROM {view}
        """;

    /// <summary>
    /// The insert of an import whose first batch was mostly stored already (a re-run import): rows
    /// whose id is stored are never written (rather than written, then deleted at commit). It hashes
    /// every stored id, which is why a mostly new import does not take this path. The rows that are
    /// left are sorted by <c>ord</c>, since the anti join need not keep the stream's order.
    /// </summary>
    private static string InsertNew(string view) => $"""
        INSERT INTO events (seq, {DuckDbSchema.EventColumns})
        SELECT $1 + ord, {DuckDbSchema.EventColumns} FROM {view}
        ANTI JOIN (SELECT event_id AS stored_id FROM events WHERE seq <= $1 AND event_id IS NOT NULL) ON stored_id = event_id
        ORDER BY ord
        """;

    private const string Probe = "oa_import_probe";

    /// <summary>Above this share of the first batch's ids already stored, the import takes <see cref="InsertNew"/>.</summary>
    private const double MostlyStored = 0.5;

    /// <summary>
    /// Deletes this import's rows (seq &gt; $1) whose event id came earlier in the import (the first
    /// occurrence, in input order, stays). Rows without an id are always kept.
    /// </summary>
    private const string DeleteRepeats = """
        DELETE FROM events WHERE seq IN (
            SELECT e.seq
            FROM events AS e
            JOIN (SELECT event_id, min(seq) AS first
                  FROM events
                  WHERE seq > $1 AND event_id IS NOT NULL
                  GROUP BY event_id
                  HAVING count(*) > 1) AS repeated
              ON e.event_id = repeated.event_id AND e.seq > repeated.first
            WHERE e.seq > $1)
        """;

    private const string Ids = "oa_import_ids";

    /// <summary>
    /// Deletes this import's rows (seq &gt; $1) whose event id was stored before it began. The import's
    /// ids are first copied to a table of their own, so that DuckDB sees how many there are and builds
    /// its hash table on the smaller side: a small import into a large store then hashes its own ids,
    /// not every stored one (0.4 s and 130 MB instead of 0.8 s and 740 MB into 10M events).
    /// </summary>
    private static readonly string[] DeleteStored =
    [
        $"CREATE OR REPLACE TEMP TABLE {Ids} AS SELECT seq, event_id FROM events WHERE seq > $1 AND event_id IS NOT NULL",
        $"""
        DELETE FROM events WHERE seq IN (
            SELECT i.seq
            FROM temp.main.{Ids} AS i
            SEMI JOIN (SELECT event_id FROM events WHERE seq <= $1) AS s ON s.event_id = i.event_id)
        """,
        $"DROP TABLE temp.main.{Ids}",
    ];

    /// <summary>Deletes this import's rows (seq &gt; $1) whose event id another import committed after this one began.</summary>
    private const string DeleteBetween = $"""
        DELETE FROM events WHERE seq IN (
            SELECT n.seq
            FROM events AS n
            SEMI JOIN temp.main.{Between} AS b ON b.event_id = n.event_id
            WHERE n.seq > $1)
        """;

    private static readonly string[] TextNames =
        ["event_id", "user_id", "anonymous_id", "type", "channel", "source", "medium", "campaign", "content", "term", "referrer", "url", "conversion"];

    private static readonly byte[][] TypeNames =
        [Encoding.UTF8.GetBytes("touch"), Encoding.UTF8.GetBytes("conversion"), Encoding.UTF8.GetBytes("identify")];

    private static readonly Schema ArrowSchema = BuildSchema();

    /// <summary><see cref="ArrowSchema"/> exported to native memory once (<see cref="DuckDbArrowNative.ExportForever"/>).</summary>
    private static readonly IntPtr ExportedSchema = DuckDbArrowNative.ExportForever(ArrowSchema);

    /// <summary>The schema every import's stream hands to DuckDB (for the test that DuckDB leaves it whole).</summary>
    internal static IntPtr SharedSchema => ExportedSchema;

    private readonly DuckDbEventStore _store;
    private readonly bool _checkIds;
    private readonly DuckDBConnection _connection;
    private readonly EventIdHash _hash;
    private readonly BlockingCollection<Batch> _batches = new(QueuedBatches);
    private readonly CancellationTokenSource _failed = new();
    private readonly ManualResetEventSlim _decided = new();
    private Thread? _worker;
    private readonly EventIdHashSet? _ids;
    private volatile bool _repeatsPossible;
    private volatile bool _commit;
    private volatile bool _abandoned;
    private bool _disposed;
    private Exception? _failure;
    private Batch _batch = new(FirstBatchRows);
    private Batch? _first;
    private long _ord;
    private long _stored, _duplicates;
    private bool _finished;

    /// <param name="checkIds">False when the caller guarantees new, distinct event ids (<see cref="ICheckedIdsImport"/>): no duplicate check.</param>
    /// <param name="hash">The hash of event ids used to rule out repeats (tests pass one that collides).</param>
    public DuckDbImport(DuckDbEventStore store, DuckDBConnection connection, bool checkIds = true, EventIdHash? hash = null)
    {
        _store = store;
        _checkIds = checkIds;
        _connection = connection;
        _hash = hash ?? EventIdHashSet.XxHash3Of;
        _ids = checkIds ? new EventIdHashSet() : null;
    }

    private static Schema BuildSchema()
    {
        var builder = new Schema.Builder();
        builder.Field(f => f.Name("ord").DataType(Int64Type.Default).Nullable(false));
        builder.Field(f => f.Name("timestamp_ticks").DataType(Int64Type.Default).Nullable(false));
        builder.Field(f => f.Name("value").DataType(DoubleType.Default).Nullable(false));
        foreach (var name in TextNames)
        {
            builder.Field(f => f.Name(name).DataType(StringType.Default).Nullable(true));
        }

        return builder.Build();
    }

    public void Add(in EventRow row)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var b = _batch;
        if (b.Count == b.Capacity)
        {
            b.Grow();
        }

        ulong hash = 0;
        if (_ids is not null && !_repeatsPossible && !row.EventId.IsEmpty)
        {
            // 0 means "no hash"; the set stores a hash of 0 as 1 anyway.
            hash = _hash(row.EventId);
            hash = hash == 0 ? 1 : hash;
        }

        b.Start(++_ord, row.TimestampTicks, row.Value, hash);
        var text = b.Text;
        text[0].Add(row.EventId);
        text[1].Add(row.UserId);
        text[2].Add(row.AnonymousId);
        text[3].AddBytes(TypeNames[(int)row.Type]);
        text[4].Add(row.Channel);
        text[5].Add(row.Source);
        text[6].Add(row.Medium);
        text[7].Add(row.Campaign);
        text[8].Add(row.Content);
        text[9].Add(row.Term);
        text[10].Add(row.Referrer);
        text[11].Add(row.Url);
        text[12].Add(row.Conversion);
        if (b.Count == BatchRows)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        if (_worker is null && !_finished)
        {
            // The first full batch: from now on DuckDB stores the rows while the caller parses.
            _first = _batch;
            _worker = new Thread(Run) { IsBackground = true, Name = "duckdb-import" };
            _worker.Start();
        }

        try
        {
            _batches.Add(_batch, _failed.Token);
        }
        catch (OperationCanceledException)
        {
            throw Failed();
        }

        // A file that filled one batch will likely fill the next (none is needed after the last).
        _batch = _finished ? new Batch(0) : new Batch(BatchRows);
    }

    /// <summary>On DuckDB's scan threads (one call at a time): the next batch, its id hashes added to the set.</summary>
    private RecordBatch? Next()
    {
        // Disposed without a commit: the rows are rolled back anyway, so DuckDB need not store the
        // batches still queued.
        if (_abandoned || !_batches.TryTake(out var batch, Timeout.Infinite))
        {
            return null;
        }

        if (_ids is { } ids && !_repeatsPossible)
        {
            foreach (var hash in batch.Hashes)
            {
                if (hash != 0 && !ids.Add(hash))
                {
                    // The id may repeat an earlier one (or the set is full): the SQL check settles it
                    // at commit, for every row.
                    _repeatsPossible = true;
                    break;
                }
            }
        }

        return batch.ToRecordBatch();
    }

    /// <summary>The worker: the streaming insert, then (once the caller decided) the checks and the commit.</summary>
    private void Run()
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            var start = MaxSeq(_connection);
            long inserted;
            var view = "oa_import_stream_" + Interlocked.Increment(ref s_views).ToString(System.Globalization.CultureInfo.InvariantCulture);
            // The connection's handle is held (AddRef) while DuckDB may use it: the registration below.
            var handle = _connection.NativeConnection;
            var added = false;
            IntPtr stream;
            try
            {
                handle.DangerousAddRef(ref added);
                stream = DuckDbArrowNative.Register(handle.DangerousGetHandle(), view, new Stream(this), ExportedSchema);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }

            var onlyNew = start > 0 && _checkIds && MostlyStoredAlready(_first);
            _first = null;
            try
            {
                inserted = Execute(_connection, onlyNew ? InsertNew(view) : Insert(view), start);

                // duckdb_arrow_scan makes a view in the store's schema, not a temporary one: it is
                // dropped in the transaction that made it, so it is never stored.
                DuckDbSchema.Execute(_connection, $"DROP VIEW {view}");
            }
            finally
            {
                DuckDbArrowNative.Free(stream);
            }

            _decided.Wait();
            if (!_commit)
            {
                return;
            }

            long duplicates = 0;
            var neverWritten = onlyNew ? _ord - inserted : 0;
            if (_checkIds && inserted > 0)
            {
                if (_repeatsPossible || _ids is null)
                {
                    duplicates += Execute(_connection, DeleteRepeats, start);
                }

                if (start > 0 && !onlyNew)
                {
                    Execute(_connection, DeleteStored[0], start);
                    duplicates += Execute(_connection, DeleteStored[1], start);
                    Execute(_connection, DeleteStored[2]);
                }
            }

            lock (_store.CommitLock)
            {
                if (inserted > duplicates)
                {
                    duplicates += CatchUp(start, inserted - duplicates);
                }

                transaction.Commit();
            }

            _stored = inserted - duplicates;
            _duplicates = duplicates + neverWritten;
        }
        catch (Exception e)
        {
            _failure = e;
            _failed.Cancel();
        }
    }

    /// <summary>
    /// True when more than <see cref="MostlyStored"/> of the ids in <paramref name="first"/> (the
    /// import's first full batch, not yet handed to DuckDB) are stored: a re-run import. Costs a hash
    /// of the batch's ids and a scan of the stored ids (about 0.1 s on 10M events).
    /// </summary>
    private bool MostlyStoredAlready(Batch? first)
    {
        if (first is null)
        {
            return false;
        }

        DuckDbSchema.Execute(_connection, $"CREATE OR REPLACE TEMP TABLE {Probe} (event_id VARCHAR NOT NULL)");
        var ids = 0;
        using (var appender = _connection.CreateAppender("temp", "main", Probe))
        {
            var column = first.Text[0];
            for (var i = 0; i < first.Count; i++)
            {
                if (column.Get(i) is { } id)
                {
                    appender.CreateRow().AppendValue(id).EndRow();
                    ids++;
                }
            }
        }

        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM temp.main.{Probe} AS p SEMI JOIN events AS e ON e.event_id = p.event_id";
        var stored = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        DuckDbSchema.Execute(_connection, $"DROP TABLE temp.main.{Probe}");
        return ids > 0 && stored > ids * MostlyStored;
    }

    /// <summary>
    /// Under the commit lock: when other imports committed rows after this transaction began (seq past
    /// <paramref name="start"/>, seen only by a new connection), drops this import's rows that repeat
    /// their ids and moves this import's <paramref name="rows"/> rows past them. Returns the rows dropped.
    /// </summary>
    private long CatchUp(long start, long rows)
    {
        using var now = _store.Connect();
        var last = MaxSeq(now);
        if (last == start)
        {
            return 0;
        }

        long dropped = 0;
        if (_checkIds)
        {
            DuckDbSchema.Execute(_connection, $"CREATE OR REPLACE TEMP TABLE {Between} (event_id VARCHAR NOT NULL)");
            using (var appender = _connection.CreateAppender("temp", "main", Between))
            using (var read = now.CreateCommand())
            {
                read.CommandText = "SELECT event_id FROM events WHERE seq > $1 AND event_id IS NOT NULL";
                read.Parameters.Add(new DuckDBParameter(start));
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    appender.CreateRow().AppendValue(reader.GetString(0)).EndRow();
                }
            }

            dropped = Execute(_connection, DeleteBetween, start);
            DuckDbSchema.Execute(_connection, $"DROP TABLE temp.main.{Between}");
        }

        if (rows > dropped)
        {
            Execute(_connection, "UPDATE events SET seq = seq + $2 WHERE seq > $1", start, last - start);
        }

        return dropped;
    }

    private static long Execute(DuckDBConnection connection, string sql, params long[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(parameter));
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>The largest stored seq (0 for an empty store: stored seqs start at 1) as the connection's transaction sees it.</summary>
    private static long MaxSeq(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True once two event ids of this import hashed alike (or too many to tell), or ids are not checked. Final after <see cref="Commit"/>.</summary>
    internal bool RepeatsPossible => _repeatsPossible || !_checkIds;

    public ImportCounts Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        Flush();
        _batches.CompleteAdding();
        _commit = true;
        _decided.Set();
        if (_ord == 0)
        {
            return new ImportCounts(0, 0); // nothing to store: no transaction
        }

        if (_worker is null)
        {
            // An import that never filled a batch is stored on the caller's thread, all at once.
            Run();
        }
        else
        {
            _worker.Join();
        }

        if (_failure is not null)
        {
            throw Failed();
        }

        return new ImportCounts(_stored, _duplicates);
    }

    private InvalidOperationException Failed() =>
        new($"DuckDB import failed, nothing was stored: {_failure?.Message}", _failure);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _abandoned = !_commit;
        if (!_batches.IsAddingCompleted)
        {
            _batches.CompleteAdding();
        }

        _finished = true;
        _decided.Set();
        _worker?.Join();
        _connection.Dispose();
        _failed.Dispose();
        _decided.Dispose();
        _batches.Dispose();
    }

    private sealed class Stream(DuckDbImport owner) : IArrowArrayStream
    {
        public Schema Schema => ArrowSchema;

        public ValueTask<RecordBatch?> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(owner.Next());

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// The rows of one record batch, column by column. Numbers and text live in byte arrays that the
    /// Arrow arrays wrap without a copy (a batch is never reused). A batch starts small (an import of
    /// a few rows allocates little) and doubles up to <see cref="BatchRows"/>.
    /// </summary>
    private sealed class Batch
    {
        private byte[] _ord, _ticks, _values;
        private ulong[] _hashes;

        public Batch(int capacity)
        {
            Capacity = capacity;
            _ord = new byte[capacity * sizeof(long)];
            _ticks = new byte[capacity * sizeof(long)];
            _values = new byte[capacity * sizeof(double)];
            _hashes = new ulong[capacity];
            Text = new TextColumn[TextNames.Length];
            for (var c = 0; c < Text.Length; c++)
            {
                Text[c] = new TextColumn(capacity);
            }
        }

        public TextColumn[] Text { get; }

        public int Count { get; private set; }

        public int Capacity { get; private set; }

        /// <summary>The event id hashes of the rows (0: no id, or ids are not hashed).</summary>
        public ReadOnlySpan<ulong> Hashes => _hashes.AsSpan(0, Count);

        /// <summary>Starts a row with its numbers (the text columns are added next); the batch must have room.</summary>
        public void Start(long ord, long ticks, double value, ulong hash)
        {
            var i = Count;
            MemoryMarshal.Write(_ord.AsSpan(i * sizeof(long)), ord);
            MemoryMarshal.Write(_ticks.AsSpan(i * sizeof(long)), ticks);
            MemoryMarshal.Write(_values.AsSpan(i * sizeof(double)), value);
            _hashes[i] = hash;
            Count = i + 1;
        }

        public void Grow()
        {
            Capacity = Math.Clamp(Capacity * 2, FirstBatchRows, BatchRows);
            System.Array.Resize(ref _ord, Capacity * sizeof(long));
            System.Array.Resize(ref _ticks, Capacity * sizeof(long));
            System.Array.Resize(ref _values, Capacity * sizeof(double));
            System.Array.Resize(ref _hashes, Capacity);
            foreach (var column in Text)
            {
                column.Grow(Capacity);
            }
        }

        public RecordBatch ToRecordBatch()
        {
            var arrays = new List<IArrowArray>(3 + Text.Length)
            {
                new Int64Array(new ArrowBuffer(_ord.AsMemory(0, Count * sizeof(long))), ArrowBuffer.Empty, Count, 0, 0),
                new Int64Array(new ArrowBuffer(_ticks.AsMemory(0, Count * sizeof(long))), ArrowBuffer.Empty, Count, 0, 0),
                new DoubleArray(new ArrowBuffer(_values.AsMemory(0, Count * sizeof(double))), ArrowBuffer.Empty, Count, 0, 0),
            };
            foreach (var column in Text)
            {
                arrays.Add(column.ToArray(Count));
            }

            return new RecordBatch(ArrowSchema, arrays, Count);
        }
    }

    /// <summary>One text column of a batch as Arrow lays it out: UTF-8 bytes, offsets, a validity bitmap (NULL for empty text).</summary>
    private sealed class TextColumn(int capacity)
    {
        private byte[] _offsets = new byte[(capacity + 1) * sizeof(int)];
        private byte[] _validity = new byte[(capacity + 7) / 8];
        private byte[] _data = new byte[capacity * 16];
        private int _used;
        private int _count;
        private int _nulls;

        public void Grow(int capacity)
        {
            System.Array.Resize(ref _offsets, (capacity + 1) * sizeof(int));
            System.Array.Resize(ref _validity, (capacity + 7) / 8);
        }

        public void Add(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty)
            {
                _nulls++;
                End();
                return;
            }

            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_used + max > _data.Length)
            {
                System.Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + max));
            }

            _used += Encoding.UTF8.GetBytes(text, _data.AsSpan(_used));
            _validity[_count >> 3] |= (byte)(1 << (_count & 7));
            End();
        }

        public void AddBytes(ReadOnlySpan<byte> bytes)
        {
            if (_used + bytes.Length > _data.Length)
            {
                System.Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + bytes.Length));
            }

            bytes.CopyTo(_data.AsSpan(_used));
            _used += bytes.Length;
            _validity[_count >> 3] |= (byte)(1 << (_count & 7));
            End();
        }

        /// <summary>Row <paramref name="i"/>'s text, or null when it is NULL.</summary>
        public string? Get(int i)
        {
            if ((_validity[i >> 3] & (1 << (i & 7))) == 0)
            {
                return null;
            }

            var from = MemoryMarshal.Read<int>(_offsets.AsSpan(i * sizeof(int)));
            var to = MemoryMarshal.Read<int>(_offsets.AsSpan((i + 1) * sizeof(int)));
            return Encoding.UTF8.GetString(_data, from, to - from);
        }

        private void End()
        {
            _count++;
            MemoryMarshal.Write(_offsets.AsSpan(_count * sizeof(int)), _used);
        }

        public StringArray ToArray(int count) => new(
            count,
            new ArrowBuffer(_offsets.AsMemory(0, (count + 1) * sizeof(int))),
            new ArrowBuffer(_data.AsMemory(0, _used)),
            _nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsMemory(0, (count + 7) / 8)),
            _nulls);
    }
}
