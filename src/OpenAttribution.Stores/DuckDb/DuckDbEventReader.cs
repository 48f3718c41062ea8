using System.Runtime.InteropServices;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// Streams the <c>events</c> table to a sink through the DuckDB C API: a streaming query, then per data
/// chunk the numbers are copied column-wise and the text is decoded from UTF-8 into one reused char
/// buffer, so the rows handed to the sink are spans and reading allocates nothing per row.
/// </summary>
internal sealed class DuckDbEventReader
{
    // Result columns: seq, then DuckDbSchema.EventColumns.
    private const int Columns = 16;
    private const int SeqColumn = 0;
    private const int TicksColumn = 2;
    private const int TypeColumn = 5;
    private const int ValueColumn = 15;

    /// <summary>The result's column types: seq, ticks and value numbers, every other column text.</summary>
    private static readonly DuckDBType[] EventTypes = Enumerable.Range(0, Columns)
        .Select(c => c switch { SeqColumn or TicksColumn => DuckDBType.BigInt, ValueColumn => DuckDBType.Double, _ => DuckDBType.Varchar })
        .ToArray();

    private readonly int _capacity = DuckDbNative.VectorSize;
    private readonly long[] _seq;
    private readonly long[] _ticks;
    private readonly double[] _values;
    private readonly byte[] _strings;
    private readonly long[] _validity;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private byte[] _bytes = new byte[256];
    private char[] _chars = new char[1 << 16];
    private int _used;

    public DuckDbEventReader()
    {
        _seq = new long[_capacity];
        _ticks = new long[_capacity];
        _values = new double[_capacity];
        _strings = new byte[_capacity * DuckDbNative.StringSize];
        _validity = new long[(_capacity + 63) / 64];
        _starts = new int[Columns * _capacity];
        _lengths = new int[Columns * _capacity];
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (selecting <c>seq</c>, then <see cref="DuckDbSchema.EventColumns"/>) and
    /// hands each row to the sink; throws if the rows do not come in increasing seq order.
    /// </summary>
    public long Read(DuckDBConnection connection, string sql, IEventSink sink, CancellationToken cancellationToken)
    {
        long count = 0, previous = long.MinValue;
        DuckDbChunks.Stream(connection, sql, EventTypes, (chunk, size) =>
        {
            Load(chunk, size);
            for (var i = 0; i < size; i++)
            {
                if (_seq[i] <= previous)
                {
                    throw new InvalidDataException($"DuckDB store: the events table is not in input order (seq {_seq[i]} after {previous}).");
                }

                previous = _seq[i];
                sink.Accept(Row(i, ++count));
            }
        }, cancellationToken);
        return count;
    }

    /// <summary>Runs <paramref name="sql"/> (one text column, no nulls) and hands each value to <paramref name="onId"/>.</summary>
    public long ReadIds(DuckDBConnection connection, string sql, EventIdAction onId, CancellationToken cancellationToken)
    {
        long count = 0;
        DuckDbChunks.Stream(connection, sql, [DuckDBType.Varchar], (chunk, size) =>
        {
            _used = 0;
            var vector = NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, 0);
            LoadText(0, vector, DuckDbNative.VectorGetData(vector), size);
            for (var i = 0; i < size; i++)
            {
                onId(Text(0, i));
            }

            count += size;
        }, cancellationToken);
        return count;
    }

    private EventRow Row(int i, long line) => new()
    {
        Line = line,
        TimestampTicks = _ticks[i],
        Type = StoredEventType.Parse(Text(TypeColumn, i), "DuckDB store"),
        Value = _values[i],
        EventId = Text(1, i),
        UserId = Text(3, i),
        AnonymousId = Text(4, i),
        Channel = Text(6, i),
        Source = Text(7, i),
        Medium = Text(8, i),
        Campaign = Text(9, i),
        Content = Text(10, i),
        Term = Text(11, i),
        Referrer = Text(12, i),
        Url = Text(13, i),
        Conversion = Text(14, i),
    };

    private ReadOnlySpan<char> Text(int column, int row)
    {
        var k = (column * _capacity) + row;
        return _chars.AsSpan(_starts[k], _lengths[k]);
    }

    private void Load(DuckDBDataChunk chunk, int size)
    {
        _used = 0;
        for (var c = 0; c < Columns; c++)
        {
            var vector = NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, c);
            var data = DuckDbNative.VectorGetData(vector);
            switch (c)
            {
                case SeqColumn:
                    Marshal.Copy(data, _seq, 0, size);
                    break;
                case TicksColumn:
                    Marshal.Copy(data, _ticks, 0, size);
                    break;
                case ValueColumn:
                    Marshal.Copy(data, _values, 0, size);
                    break;
                default:
                    LoadText(c, vector, data, size);
                    break;
            }
        }
    }

    private void LoadText(int column, IntPtr vector, IntPtr data, int size)
    {
        var validity = DuckDbNative.VectorGetValidity(vector);
        var allValid = validity == IntPtr.Zero;
        if (!allValid)
        {
            Marshal.Copy(validity, _validity, 0, (size + 63) / 64);
        }

        Marshal.Copy(data, _strings, 0, size * DuckDbNative.StringSize);
        var offset = column * _capacity;
        for (var i = 0; i < size; i++)
        {
            if (!allValid && (_validity[i >> 6] & (1L << (i & 63))) == 0)
            {
                _starts[offset + i] = 0;
                _lengths[offset + i] = 0;
                continue;
            }

            var entry = _strings.AsSpan(i * DuckDbNative.StringSize, DuckDbNative.StringSize);
            var length = (int)MemoryMarshal.Read<uint>(entry);
            ReadOnlySpan<byte> utf8;
            if (length <= DuckDbNative.InlineLength)
            {
                utf8 = entry.Slice(4, length);
            }
            else
            {
                if (length > _bytes.Length)
                {
                    _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
                }

                Marshal.Copy(MemoryMarshal.Read<IntPtr>(entry[8..]), _bytes, 0, length);
                utf8 = _bytes.AsSpan(0, length);
            }

            if (_used + length > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_used + length, _chars.Length * 2));
            }

            var chars = Encoding.UTF8.GetChars(utf8, _chars.AsSpan(_used));
            _starts[offset + i] = _used;
            _lengths[offset + i] = chars;
            _used += chars;
        }
    }
}
