using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OpenAttribution.Core.Text;

/// <summary>
/// Streams RFC 4180 records from a reader, one at a time: quoted fields, doubled quotes and line
/// breaks inside quotes. Lines are found in a reused character buffer (no string per line); fields
/// are spans over it, valid until the next <see cref="Read"/>. The whole input is never held in memory.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly List<(int Start, int Length)> _fields = [];
    private char[] _buffer = new char[1 << 16];
    private int _position;
    private int _end;
    private bool _eof;

    // The current record: a slice of the buffer, or (when a quoted field spans lines) a copy.
    private int _lineStart;
    private int _lineLength;
    private char[] _record = new char[256];
    private int _recordLength;
    private bool _inRecordCopy;

    private char[] _scratch = new char[256];
    private long _nextLine = 1;

    public CsvRecordReader(TextReader reader, char separator = ',')
    {
        _reader = reader;
        Separator = separator;
    }

    /// <summary>The field separator; may be changed after the header has been inspected.</summary>
    public char Separator { get; set; }

    /// <summary>1-based physical line on which the current record starts.</summary>
    public long Line { get; private set; }

    public int FieldCount => _fields.Count;

    /// <summary>The raw text of the current record.</summary>
    public string RawLine => Record.ToString();

    private ReadOnlySpan<char> Record => _inRecordCopy ? _record.AsSpan(0, _recordLength) : _buffer.AsSpan(_lineStart, _lineLength);

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var (start, length) = _fields[index];
            return start >= 0 ? Record.Slice(start, length) : _scratch.AsSpan(~start, length);
        }
    }

    /// <summary>Reads the next record. Blank lines are skipped. Returns false at the end.</summary>
    public bool Read()
    {
        do
        {
            if (!NextLine(out _lineStart, out _lineLength))
            {
                return false;
            }

            Line = _nextLine++;
        }
        while (_lineLength == 0);

        _inRecordCopy = false;
        _fields.Clear();
        Split();
        return true;
    }

    /// <summary>The next physical line in the buffer, without its line break.</summary>
    private bool NextLine(out int start, out int length)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_position + searched, _end - _position - searched).IndexOf('\n');
            if (newline >= 0)
            {
                start = _position;
                length = searched + newline;
                _position += length + 1;
                if (length > 0 && _buffer[start + length - 1] == '\r')
                {
                    length--;
                }

                return true;
            }

            searched = _end - _position;
            if (_eof)
            {
                start = _position;
                length = searched;
                _position = _end;
                if (length > 0 && _buffer[start + length - 1] == '\r')
                {
                    length--;
                }

                return searched > 0;
            }

            // Keep the unfinished line, make room, read more.
            if (_position > 0)
            {
                Array.Copy(_buffer, _position, _buffer, 0, _end - _position);
                _end -= _position;
                _position = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    /// <summary>A quoted field goes on past the line break: copy the record so far and append the next line.</summary>
    private bool ContinueRecord()
    {
        if (!_inRecordCopy)
        {
            EnsureRecord(_lineLength);
            _buffer.AsSpan(_lineStart, _lineLength).CopyTo(_record);
            _recordLength = _lineLength;
            _inRecordCopy = true;
        }

        if (!NextLine(out var start, out var length))
        {
            return false;
        }

        _nextLine++;
        EnsureRecord(_recordLength + 1 + length);
        _record[_recordLength++] = '\n';
        _buffer.AsSpan(start, length).CopyTo(_record.AsSpan(_recordLength));
        _recordLength += length;
        return true;
    }

    private void EnsureRecord(int length)
    {
        if (length > _record.Length)
        {
            Array.Resize(ref _record, Math.Max(length, _record.Length * 2));
        }
    }

    private void Split()
    {
        var separator = Separator;
        if (TrySplitUnquoted(Record, separator))
        {
            return;
        }

        _fields.Clear();
        var scratchUsed = 0;
        var pos = 0;
        while (true)
        {
            var line = Record;
            if (pos < line.Length && line[pos] == '"')
            {
                // Quoted field: copy unescaped content to scratch; may continue on next lines.
                var start = scratchUsed;
                pos++;
                while (true)
                {
                    if (pos >= line.Length)
                    {
                        if (!ContinueRecord())
                        {
                            break;
                        }

                        line = Record; // pos now points at the '\n' joining the lines
                        continue;
                    }

                    var c = line[pos];
                    if (c == '"')
                    {
                        if (pos + 1 < line.Length && line[pos + 1] == '"')
                        {
                            Append(ref scratchUsed, '"');
                            pos += 2;
                            continue;
                        }

                        pos++;
                        break;
                    }

                    Append(ref scratchUsed, c);
                    pos++;
                }

                // Anything between the closing quote and the separator is kept verbatim.
                while (pos < line.Length && line[pos] != separator)
                {
                    Append(ref scratchUsed, line[pos++]);
                }

                _fields.Add((~start, scratchUsed - start));
            }
            else
            {
                var end = line[pos..].IndexOf(separator);
                end = end < 0 ? line.Length : pos + end;
                _fields.Add((pos, end - pos));
                pos = end;
            }

            if (pos >= line.Length)
            {
                break;
            }

            pos++; // skip separator
            if (pos == line.Length)
            {
                _fields.Add((pos, 0));
                break;
            }
        }
    }

    /// <summary>
    /// Splits a line without quotes in one pass, 16 characters at a time (then 8, where the CPU has
    /// 128-bit vectors only, as on arm64, and for the tail): the separators' positions come from a bit
    /// mask, so a line of many short fields costs a few vector compares instead of a search per field.
    /// False (fields half added) when the line has a quote anywhere: the general split handles it.
    /// </summary>
    private bool TrySplitUnquoted(ReadOnlySpan<char> line, char separator)
    {
        var start = 0;
        var i = 0;
        ref var first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(line));
        if (Vector256.IsHardwareAccelerated && line.Length >= Vector256<ushort>.Count)
        {
            var separators = Vector256.Create((ushort)separator);
            var quotes = Vector256.Create((ushort)'"');
            for (; i <= line.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var chars = Vector256.LoadUnsafe(ref first, (nuint)i);
                if (Vector256.EqualsAny(chars, quotes))
                {
                    return false;
                }

                AddFields(Vector256.Equals(chars, separators).ExtractMostSignificantBits(), i, ref start);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var separators = Vector128.Create((ushort)separator);
            var quotes = Vector128.Create((ushort)'"');
            for (; i <= line.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                var chars = Vector128.LoadUnsafe(ref first, (nuint)i);
                if (Vector128.EqualsAny(chars, quotes))
                {
                    return false;
                }

                AddFields(Vector128.Equals(chars, separators).ExtractMostSignificantBits(), i, ref start);
            }
        }

        for (; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                return false;
            }

            if (c == separator)
            {
                _fields.Add((start, i - start));
                start = i + 1;
            }
        }

        _fields.Add((start, line.Length - start));
        return true;
    }

    /// <summary>Adds a field ending at each separator of <paramref name="mask"/> (bit k: the character at <paramref name="at"/> + k).</summary>
    private void AddFields(uint mask, int at, ref int start)
    {
        while (mask != 0)
        {
            var end = at + BitOperations.TrailingZeroCount(mask);
            _fields.Add((start, end - start));
            start = end + 1;
            mask &= mask - 1;
        }
    }

    private void Append(ref int used, char c)
    {
        if (used == _scratch.Length)
        {
            Array.Resize(ref _scratch, _scratch.Length * 2);
        }

        _scratch[used++] = c;
    }
}
