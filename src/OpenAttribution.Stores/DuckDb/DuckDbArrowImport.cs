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
/// EXPERIMENT: an import that streams record batches through an Arrow C stream into ONE
/// <c>INSERT INTO events SELECT … FROM arrow_scan</c> that runs (on DuckDB's threads, under the
/// store's commit lock, in one transaction) while the caller parses. Duplicates are deleted from the
/// inserted rows afterwards, inside the same transaction, only where they can exist.
/// </summary>
internal sealed class DuckDbArrowImport : IDuckDbImport
{
    private const int BatchRows = 122_880;
    private const string View = "oa_import_arrow";

    private static readonly string[] TextNames =
        ["event_id", "user_id", "anonymous_id", "type", "channel", "source", "medium", "campaign", "content", "term", "referrer", "url", "conversion"];

    private static readonly byte[][] TypeNames =
        [Encoding.UTF8.GetBytes("touch"), Encoding.UTF8.GetBytes("conversion"), Encoding.UTF8.GetBytes("identify")];

    internal static readonly Schema ArrowSchema = BuildSchema();

    private readonly DuckDbEventStore _store;
    private readonly bool _checkIds;
    private readonly DuckDBConnection _connection;
    private readonly EventIdHash _hash;
    private readonly BlockingCollection<Batch> _batches = new(3);
    private readonly CancellationTokenSource _failed = new();
    private readonly ManualResetEventSlim _decided = new();
    private readonly Thread _worker;
    private EventIdHashSet? _ids;
    private volatile bool _repeatsPossible;
    private volatile bool _commit;
    private Exception? _failure;
    private Batch _batch = new();
    private long _ord;
    private long _stored, _duplicates;
    private bool _finished;

    public DuckDbArrowImport(DuckDbEventStore store, DuckDBConnection connection, bool checkIds = true, EventIdHash? hash = null)
    {
        _store = store;
        _checkIds = checkIds;
        _connection = connection;
        _hash = hash ?? EventIdHashSet.XxHash3Of;
        _ids = checkIds ? new EventIdHashSet() : null;
        _worker = new Thread(Run) { IsBackground = true, Name = "duckdb-arrow-import" };
        _worker.Start();
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
        var i = b.Count;
        b.Ord[i] = ++_ord;
        b.Ticks[i] = row.TimestampTicks;
        b.Values[i] = row.Value;
        b.Hashes[i] = _ids is not null && !row.EventId.IsEmpty ? _hash(row.EventId) : 0;
        b.HasHash[i] = _ids is not null && !row.EventId.IsEmpty;
        b.Text[0].Add(row.EventId);
        b.Text[1].Add(row.UserId);
        b.Text[2].Add(row.AnonymousId);
        b.Text[3].AddBytes(TypeNames[(int)row.Type]);
        b.Text[4].Add(row.Channel);
        b.Text[5].Add(row.Source);
        b.Text[6].Add(row.Medium);
        b.Text[7].Add(row.Campaign);
        b.Text[8].Add(row.Content);
        b.Text[9].Add(row.Term);
        b.Text[10].Add(row.Referrer);
        b.Text[11].Add(row.Url);
        b.Text[12].Add(row.Conversion);
        b.Count = i + 1;
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

        try
        {
            _batches.Add(_batch, _failed.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("DuckDB import failed", _failure);
        }

        _batch = new Batch();
    }

    /// <summary>On DuckDB's scan threads (one at a time): the next batch, its id hashes added to the set.</summary>
    private RecordBatch? Next()
    {
        if (!_batches.TryTake(out var batch, Timeout.Infinite))
        {
            return null;
        }

        if (_ids is { } ids && !_repeatsPossible)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch.HasHash[i] && !ids.Add(batch.Hashes[i]))
                {
                    _repeatsPossible = true;
                    break;
                }
            }
        }

        return batch.ToRecordBatch();
    }

    private void Run()
    {
        try
        {
            lock (_store.CommitLock)
            {
                using var transaction = _connection.BeginTransaction();
                var last = MaxSeq();
                var handle = _connection.NativeConnection.DangerousGetHandle();
                var stream = DuckDbArrowNative.Register(handle, View, new Stream(this));
                long inserted;
                try
                {
                    using var insert = _connection.CreateCommand();
                    insert.CommandText = $"""
                        INSERT INTO events (seq, {DuckDbSchema.EventColumns})
                        SELECT $1 + ord, {DuckDbSchema.EventColumns} FROM {View}
                        """;
                    insert.Parameters.Add(new DuckDBParameter(last));
                    inserted = insert.ExecuteNonQuery();
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
                if (_checkIds && (_repeatsPossible || _ids is null) && inserted > 0)
                {
                    using var command = _connection.CreateCommand();
                    command.CommandText = """
                        DELETE FROM events WHERE seq IN (
                            SELECT e.seq FROM events AS e
                            JOIN (SELECT event_id, min(seq) AS first FROM events
                                  WHERE seq > $1 AND event_id IS NOT NULL
                                  GROUP BY event_id HAVING count(*) > 1) AS r
                              ON e.event_id = r.event_id AND e.seq > r.first
                            WHERE e.seq > $1)
                        """;
                    command.Parameters.Add(new DuckDBParameter(last));
                    duplicates += command.ExecuteNonQuery();
                }

                if (_checkIds && last > 0 && inserted > 0)
                {
                    using var command = _connection.CreateCommand();
                    command.CommandText = """
                        DELETE FROM events WHERE seq > $1
                          AND event_id IN (SELECT event_id FROM events WHERE seq <= $1 AND event_id IS NOT NULL)
                        """;
                    command.Parameters.Add(new DuckDBParameter(last));
                    duplicates += command.ExecuteNonQuery();
                }

                transaction.Commit();
                _stored = inserted - duplicates;
                _duplicates = duplicates;
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _failed.Cancel();
        }
    }

    private long MaxSeq()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True once two event ids of this import hashed alike (final after <see cref="Commit"/>).</summary>
    public bool RepeatsPossible => _repeatsPossible || !_checkIds;

    public ImportCounts Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        Flush();
        _batches.CompleteAdding();
        _commit = true;
        _decided.Set();
        _worker.Join();
        if (_failure is not null)
        {
            throw new InvalidOperationException("DuckDB import failed; nothing was stored.", _failure);
        }

        return new ImportCounts(_stored, _duplicates);
    }

    public void Dispose()
    {
        if (!_batches.IsAddingCompleted)
        {
            _batches.CompleteAdding();
        }

        _finished = true;
        _decided.Set();
        _worker.Join();
        _connection.Dispose();
        _failed.Dispose();
        _decided.Dispose();
    }

    private sealed class Stream(DuckDbArrowImport owner) : IArrowArrayStream
    {
        public Schema Schema => ArrowSchema;

        public ValueTask<RecordBatch?> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(owner.Next());

        public void Dispose()
        {
        }
    }

    private sealed class Batch
    {
        public readonly long[] Ord = new long[BatchRows];
        public readonly long[] Ticks = new long[BatchRows];
        public readonly double[] Values = new double[BatchRows];
        public readonly ulong[] Hashes = new ulong[BatchRows];
        public readonly bool[] HasHash = new bool[BatchRows];
        public readonly TextColumn[] Text = Enumerable.Range(0, TextNames.Length).Select(_ => new TextColumn()).ToArray();
        public int Count;

        public RecordBatch ToRecordBatch()
        {
            var arrays = new List<IArrowArray>(3 + Text.Length)
            {
                new Int64Array(new ArrowBuffer(MemoryMarshal.AsBytes(Ord.AsSpan(0, Count)).ToArray()), ArrowBuffer.Empty, Count, 0, 0),
                new Int64Array(new ArrowBuffer(MemoryMarshal.AsBytes(Ticks.AsSpan(0, Count)).ToArray()), ArrowBuffer.Empty, Count, 0, 0),
                new DoubleArray(new ArrowBuffer(MemoryMarshal.AsBytes(Values.AsSpan(0, Count)).ToArray()), ArrowBuffer.Empty, Count, 0, 0),
            };
            foreach (var column in Text)
            {
                arrays.Add(column.ToArray(Count));
            }

            return new RecordBatch(ArrowSchema, arrays, Count);
        }
    }

    private sealed class TextColumn
    {
        private readonly int[] _offsets = new int[BatchRows + 1];
        private readonly byte[] _validity = new byte[(BatchRows + 7) / 8];
        private byte[] _data = new byte[1 << 20];
        private int _used;
        private int _count;
        private int _nulls;

        public void Add(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty)
            {
                _nulls++;
                _count++;
                _offsets[_count] = _used;
                return;
            }

            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_used + max > _data.Length)
            {
                System.Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + max));
            }

            _used += Encoding.UTF8.GetBytes(text, _data.AsSpan(_used));
            _validity[_count >> 3] |= (byte)(1 << (_count & 7));
            _count++;
            _offsets[_count] = _used;
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
            _count++;
            _offsets[_count] = _used;
        }

        public StringArray ToArray(int count) => new(
            count,
            new ArrowBuffer(MemoryMarshal.AsBytes(_offsets.AsSpan(0, count + 1)).ToArray()),
            new ArrowBuffer(_data.AsMemory(0, _used)),
            _nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsMemory(0, (count + 7) / 8)),
            _nulls);
    }
}

/// <summary>A DuckDB import as tests see it: whether its id hashes left repeats possible.</summary>
internal interface IDuckDbImport : IStoreImport
{
    bool RepeatsPossible { get; }
}
