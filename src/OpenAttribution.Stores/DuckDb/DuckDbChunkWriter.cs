using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OpenAttribution.Core.Events;
using NativeAppender = DuckDB.NET.Native.DuckDBAppender;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// Appends events to a staging table (layout of <see cref="DuckDbSchema.CreateStaging"/>) through the
/// DuckDB Appender, one data chunk of 2048 rows at a time, and adding a row allocates nothing and
/// calls no native code: numbers are copied column-wise; text is encoded to UTF-8 and laid out as
/// DuckDB's 16-byte string values (<c>duckdb_string_t</c>: length, then the bytes inline up to 12,
/// else a 4-byte prefix and a pointer) in managed arrays, the longer strings' bytes in an arena that
/// is copied to native memory owned by the chunk, and each column is copied into its vector once per
/// chunk (the Appender copies the strings out of the chunk before the chunk is reused). Full chunks are handed to a background thread that runs the Appender, so
/// that the caller's parsing and DuckDB's appending use two cores. A row may carry a 64-bit key (the
/// import's event id hash): each chunk's keys go with it to the background thread, which hands them
/// to the owner's callback there (work that would otherwise slow the caller down).
/// </summary>
internal sealed class DuckDbChunkWriter : IDisposable
{
    private const int Columns = 16;
    private const int OrdColumn = 0;
    private const int TicksColumn = 2;
    private const int TypeColumn = 5;
    private const int ValueColumn = 15;

    private static readonly byte[][] TypeNames =
        [Encoding.UTF8.GetBytes("touch"), Encoding.UTF8.GetBytes("conversion"), Encoding.UTF8.GetBytes("identify")];

    /// <summary>
    /// Most chunks in flight (one being filled, the others queued for or inside the Appender), created
    /// as needed. The Appender works in bursts (it writes its buffer to the table every 100 chunks or
    /// so), so the queue must hold that many for the caller not to wait: 128 chunks, about 100 MB.
    /// </summary>
    private const int Chunks = 128;

    private readonly NativeAppender _appender;
    private readonly DuckDBLogicalType[] _types = new DuckDBLogicalType[Columns];
    private readonly List<Slot> _chunks = [];
    private readonly BlockingCollection<Slot> _full = new(Chunks);
    private readonly BlockingCollection<Slot> _free = new(Chunks);
    private readonly Thread _worker;
    private readonly Action<ReadOnlySpan<ulong>>? _onKeys;
    private Slot _chunk;
    private Exception? _failure;
    private volatile bool _discard;
    private readonly IntPtr[] _vectors = new IntPtr[Columns];
    private readonly int _capacity = DuckDbNative.VectorSize;
    private readonly long[] _ord;
    private readonly long[] _ticks;
    private readonly double[] _values;
    private readonly long[][] _validity = new long[Columns][];
    private readonly bool[] _hasNull = new bool[Columns];
    private readonly byte[][] _strings = new byte[Columns][];
    private byte[] _arena = new byte[1 << 16];
    private int _arenaUsed;
    private int _rows;
    private bool _closed;

    /// <param name="onKeys">Called on the background thread with each appended chunk's row keys (<see cref="Add(in EventRow, ulong)"/>), in order.</param>
    public DuckDbChunkWriter(DuckDBConnection connection, string catalog, string table, Action<ReadOnlySpan<ulong>>? onKeys = null)
    {
        _onKeys = onKeys;
        var state = NativeMethods.Appender.DuckDBAppenderCreateExt(connection.NativeConnection, catalog, "main", table, out _appender);
        if (state != DuckDBState.Success)
        {
            var message = AppenderError();
            _appender.Dispose();
            throw new InvalidOperationException($"DuckDB: cannot create an appender for {catalog}.{table}: {message}");
        }

        for (var c = 0; c < Columns; c++)
        {
            _types[c] = NativeMethods.LogicalType.DuckDBCreateLogicalType(c switch
            {
                OrdColumn or TicksColumn => DuckDBType.BigInt,
                ValueColumn => DuckDBType.Double,
                _ => DuckDBType.Varchar,
            });
        }

        _ord = new long[_capacity];
        _ticks = new long[_capacity];
        _values = new double[_capacity];
        var words = (_capacity + 63) / 64;
        for (var c = 0; c < Columns; c++)
        {
            if (c is not (OrdColumn or TicksColumn or ValueColumn))
            {
                _validity[c] = new long[words];
                Array.Fill(_validity[c], -1L);
                _strings[c] = new byte[_capacity * DuckDbNative.StringSize];
            }
        }

        _chunk = NextChunk();
        LoadVectors();
        _worker = new Thread(Append) { IsBackground = true, Name = "DuckDB appender" };
        _worker.Start();
    }

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a row with a key for the <c>onKeys</c> callback.</summary>
    public void Add(in EventRow row, ulong key)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _chunk.Keys[_chunk.KeyCount++] = key;
        Add(row);
    }

    public void Add(in EventRow row)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var i = _rows;
        _ord[i] = ++Count;
        _ticks[i] = row.TimestampTicks;
        _values[i] = row.Value;
        Text(1, i, row.EventId);
        Text(3, i, row.UserId);
        Text(4, i, row.AnonymousId);
        Inline(_strings[TypeColumn].AsSpan(i * DuckDbNative.StringSize, DuckDbNative.StringSize), TypeNames[(int)row.Type]);
        Text(6, i, row.Channel);
        Text(7, i, row.Source);
        Text(8, i, row.Medium);
        Text(9, i, row.Campaign);
        Text(10, i, row.Content);
        Text(11, i, row.Term);
        Text(12, i, row.Referrer);
        Text(13, i, row.Url);
        Text(14, i, row.Conversion);
        if (++_rows == _capacity)
        {
            Flush();
        }
    }

    /// <summary>Appends the last chunk and closes the appender (its rows are then in the table).</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        Flush(last: true);
        _closed = true;
        _full.CompleteAdding();
        _worker.Join();
        ThrowIfFailed();
        if (NativeMethods.Appender.DuckDBAppenderClose(_appender) != DuckDBState.Success)
        {
            throw new InvalidOperationException("DuckDB: appending to the staging table failed: " + AppenderError());
        }
    }

    public void Dispose()
    {
        _closed = true;
        if (!_full.IsAddingCompleted)
        {
            // Not closed: the import is abandoned, so the queued chunks need not reach DuckDB.
            _discard = true;
            _full.CompleteAdding();
        }

        _worker.Join();
        foreach (var slot in _chunks)
        {
            slot.Chunk.Dispose();
            if (slot.Arena != IntPtr.Zero)
            {
                Marshal.FreeHGlobal(slot.Arena);
            }
        }

        foreach (var type in _types)
        {
            type?.Dispose();
        }

        _appender.Dispose();
        _full.Dispose();
        _free.Dispose();
    }

    /// <summary>The background thread: appends each full chunk, then hands it back empty.</summary>
    private void Append()
    {
        foreach (var slot in _full.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null && !_discard && NativeMethods.Appender.DuckDBAppendDataChunk(_appender, slot.Chunk) != DuckDBState.Success)
                {
                    _failure = new InvalidOperationException("DuckDB: appending to the staging table failed: " + AppenderError());
                }

                NativeMethods.DataChunks.DuckDBDataChunkReset(slot.Chunk);
                if (_failure is null && !_discard && slot.KeyCount > 0)
                {
                    _onKeys?.Invoke(slot.Keys.AsSpan(0, slot.KeyCount));
                }

                slot.KeyCount = 0;
            }
            catch (Exception e)
            {
                _failure ??= e;
            }
            finally
            {
                // Always handed back, so that the caller never waits for a chunk forever.
                _free.Add(slot);
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Lays out <paramref name="text"/> as row <paramref name="row"/>'s string value of
    /// <paramref name="column"/> (NULL when empty). A string longer than 12 bytes goes to the arena;
    /// its pointer field holds the arena offset until <see cref="Flush"/> adds the native address.
    /// </summary>
    private void Text(int column, int row, ReadOnlySpan<char> text)
    {
        var value = _strings[column].AsSpan(row * DuckDbNative.StringSize, DuckDbNative.StringSize);
        if (text.IsEmpty)
        {
            _validity[column][row >> 6] &= ~(1L << (row & 63));
            _hasNull[column] = true;
            value.Clear();
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_arenaUsed + max > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arenaUsed + max, _arena.Length * 2));
        }

        var length = Encoding.UTF8.GetBytes(text, _arena.AsSpan(_arenaUsed));
        var bytes = _arena.AsSpan(_arenaUsed, length);
        if (length <= DuckDbNative.InlineLength)
        {
            Inline(value, bytes);
            return;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)length);
        bytes[..4].CopyTo(value[4..]);
        BinaryPrimitives.WriteInt64LittleEndian(value[8..], _arenaUsed);
        _arenaUsed += length;
    }

    /// <summary>A string value of at most 12 bytes: length, the bytes, zeros after them (DuckDB compares inline values whole).</summary>
    private static void Inline(Span<byte> value, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)bytes.Length);
        var inline = value[4..];
        bytes.CopyTo(inline);
        inline[bytes.Length..].Clear();
    }

    /// <summary>
    /// Copies the arena to the chunk's native memory (grown as needed), turns the arena offsets of the
    /// long strings into addresses there, and copies every text column into its vector.
    /// </summary>
    private void CopyText()
    {
        if (_arenaUsed > _chunk.ArenaSize)
        {
            var size = Math.Max(_arenaUsed, _chunk.ArenaSize * 2);
            _chunk.Arena = _chunk.Arena == IntPtr.Zero ? Marshal.AllocHGlobal(size) : Marshal.ReAllocHGlobal(_chunk.Arena, size);
            _chunk.ArenaSize = size;
        }

        if (_arenaUsed > 0)
        {
            Marshal.Copy(_arena, 0, _chunk.Arena, _arenaUsed);
        }

        var arena = (long)_chunk.Arena;
        for (var c = 0; c < Columns; c++)
        {
            if (_strings[c] is not { } strings)
            {
                continue;
            }

            if (c != TypeColumn && _arenaUsed > 0)
            {
                for (var i = 0; i < _rows; i++)
                {
                    var value = strings.AsSpan(i * DuckDbNative.StringSize, DuckDbNative.StringSize);
                    if (BinaryPrimitives.ReadUInt32LittleEndian(value) > DuckDbNative.InlineLength)
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(value[8..], arena + BinaryPrimitives.ReadInt64LittleEndian(value[8..]));
                    }
                }
            }

            Marshal.Copy(strings, 0, DuckDbNative.VectorGetData(_vectors[c]), _rows * DuckDbNative.StringSize);
        }

        _arenaUsed = 0;
    }

    private void Flush(bool last = false)
    {
        if (_rows == 0)
        {
            return;
        }

        Marshal.Copy(_ord, 0, DuckDbNative.VectorGetData(_vectors[OrdColumn]), _rows);
        Marshal.Copy(_ticks, 0, DuckDbNative.VectorGetData(_vectors[TicksColumn]), _rows);
        Marshal.Copy(_values, 0, DuckDbNative.VectorGetData(_vectors[ValueColumn]), _rows);
        CopyText();
        var words = (_rows + 63) / 64;
        for (var c = 0; c < Columns; c++)
        {
            if (_hasNull[c])
            {
                DuckDbNative.VectorEnsureValidityWritable(_vectors[c]);
                Marshal.Copy(_validity[c], 0, DuckDbNative.VectorGetValidity(_vectors[c]), words);
                Array.Fill(_validity[c], -1L);
                _hasNull[c] = false;
            }
        }

        NativeMethods.DataChunks.DuckDBDataChunkSetSize(_chunk.Chunk, (ulong)_rows);
        ThrowIfFailed();
        _full.Add(_chunk);
        _rows = 0;
        if (!last)
        {
            _chunk = NextChunk();
            LoadVectors();
        }
    }

    /// <summary>An empty chunk: a returned one, else a new one while fewer than <see cref="Chunks"/> exist, else wait for one.</summary>
    private Slot NextChunk()
    {
        if (_free.TryTake(out var slot))
        {
            return slot;
        }

        if (_chunks.Count < Chunks)
        {
            var chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk(_types.Select(t => t.DangerousGetHandle()).ToArray(), Columns);
            slot = new Slot(chunk, _onKeys is null ? 0 : _capacity);
            _chunks.Add(slot);
            return slot;
        }

        return _free.Take();
    }

    private void LoadVectors()
    {
        for (var c = 0; c < Columns; c++)
        {
            _vectors[c] = NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk.Chunk, c);
        }
    }

    private string AppenderError()
    {
        using var error = NativeMethods.Appender.DuckDBAppenderErrorData(_appender);
        return error.IsInvalid ? "unknown error" : error.Message ?? "unknown error";
    }

    /// <summary>A data chunk and the keys of its rows.</summary>
    private sealed class Slot(DuckDBDataChunk chunk, int keys)
    {
        public DuckDBDataChunk Chunk { get; } = chunk;

        public ulong[] Keys { get; } = new ulong[keys];

        public int KeyCount { get; set; }

        /// <summary>Native memory holding the bytes of the chunk's strings longer than 12 bytes (freed on dispose).</summary>
        public IntPtr Arena { get; set; }

        public int ArenaSize { get; set; }
    }
}
