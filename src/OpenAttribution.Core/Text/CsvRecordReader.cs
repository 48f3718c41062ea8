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
/// <remarks>
/// A quoted field may go on over line breaks, but a stray quote must not swallow the rest of a file:
/// a record that spans lines is taken only when its quote closes within <see cref="MaxRecordLines"/>
/// lines and <see cref="MaxRecordChars"/> characters, every closing quote of it is followed by a
/// separator or the end of a line, and, once <see cref="ExpectedFieldCount"/> is set, it has that many
/// fields and no line it goes on over is a row of its own (no quote, and that many fields). Otherwise the record is its first line alone, with no fields and a <see cref="Problem"/>,
/// and the next <see cref="Read"/> goes on with the line after it.
/// </remarks>
public sealed class CsvRecordReader
{
    /// <summary>The most physical lines one record may span.</summary>
    public const int MaxRecordLines = 10_000;

    /// <summary>The most characters one record may hold (1 Mi).</summary>
    public const int MaxRecordChars = 1 << 20;

    private readonly LineReader _lines;
    private readonly List<(int Start, int Length)> _fields = [];

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
        _lines = new LineReader(reader);
        Separator = separator;
    }

    /// <summary>The field separator; may be changed after the header has been inspected.</summary>
    public char Separator { get; set; }

    /// <summary>The header's field count, once known: a record spanning lines must have it (0: any).</summary>
    public int ExpectedFieldCount { get; set; }

    /// <summary>
    /// Why the current record is not a record (a quote that does not close where a field may end), or
    /// null. Such a record has no fields; <see cref="RawLine"/> is its first line.
    /// </summary>
    public CsvRecordProblem? Problem { get; private set; }

    /// <summary>Numbers the next line read <paramref name="line"/>: for a reader that starts inside a text.</summary>
    internal void StartAtLine(long line) => _nextLine = line;

    /// <summary>1-based physical line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>1-based physical line on which the current record ends (after <see cref="Line"/> when a quoted field spans lines).</summary>
    public long EndLine => _nextLine - 1;

    public int FieldCount => _fields.Count;

    /// <summary>The raw text of the current record.</summary>
    public string RawLine => Record.ToString();

    private ReadOnlySpan<char> Record => _inRecordCopy ? _record.AsSpan(0, _recordLength) : _lines.Buffer.AsSpan(_lineStart, _lineLength);

    public ReadOnlySpan<char> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
            if (!_lines.Next(out _lineStart, out _lineLength))
            {
                return false;
            }

            Line = _nextLine++;
        }
        while (_lineLength == 0);

        _inRecordCopy = false;
        _fields.Clear();
        Problem = null;
        Split();
        return true;
    }

    /// <summary>
    /// The current record spans lines and is not a record: keep its first line alone, with no fields,
    /// and give the lines after it back to the buffer to be read again as records of their own.
    /// </summary>
    private void Reject(int field, string reason)
    {
        var first = _record.AsSpan(0, _recordLength).IndexOf('\n');
        if (first >= 0)
        {
            _lines.Unread(WithCarriageReturns(_record.AsSpan(first + 1, _recordLength - first - 1)));
            _recordLength = first;
        }

        _nextLine = Line + 1;
        _fields.Clear();
        Problem = new CsvRecordProblem(field, reason);
    }

    /// <summary>
    /// The lines a record went on over, as they were read: each with the CR that ended it, if it had
    /// one, so that reading them again drops it once, as the first reading did (a line ending in two
    /// CRs keeps one).
    /// </summary>
    private ReadOnlySpan<char> WithCarriageReturns(ReadOnlySpan<char> lines)
    {
        if (!_continuedCr.Contains(true))
        {
            return lines;
        }

        var text = new System.Text.StringBuilder(lines.Length + _continuedCr.Count);
        var k = 0;
        foreach (var range in lines.Split('\n'))
        {
            if (k > 0)
            {
                text.Append('\n');
            }

            text.Append(lines[range]);
            if (k < _continuedCr.Count && _continuedCr[k])
            {
                text.Append('\r');
            }

            k++;
        }

        return text.ToString();
    }

    private readonly List<bool> _continuedCr = [];

    /// <summary>
    /// A quoted field goes on past the line break: copy the record so far and append the next line.
    /// False at the end of the input, past the bounds, or when the next line is a row of its own (no
    /// quote, and the header's field count): <paramref name="stop"/> says which.
    /// </summary>
    private bool ContinueRecord(out ContinueStop stop)
    {
        stop = ContinueStop.Bounds;
        if (!_inRecordCopy)
        {
            EnsureRecord(_lineLength);
            _lines.Buffer.AsSpan(_lineStart, _lineLength).CopyTo(_record);
            _recordLength = _lineLength;
            _inRecordCopy = true;
            _continuedCr.Clear();
        }

        if (_nextLine - Line >= MaxRecordLines || _recordLength >= MaxRecordChars)
        {
            return false;
        }

        if (!_lines.Next(out var start, out var length))
        {
            stop = ContinueStop.End;
            return false;
        }

        _nextLine++;
        _continuedCr.Add(_lines.LastHadCarriageReturn);
        var next = _lines.Buffer.AsSpan(start, length);
        EnsureRecord(_recordLength + 1 + length);
        _record[_recordLength++] = '\n';
        next.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += length;
        if (ExpectedFieldCount > 1 && !next.Contains('"') && next.Count(Separator) == ExpectedFieldCount - 1)
        {
            stop = ContinueStop.Row;
            return false;
        }

        return true;
    }

    private enum ContinueStop
    {
        End,
        Bounds,
        Row,
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
        var trailing = -1; // the first field with text between its closing quote and the separator
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
                        if (!ContinueRecord(out var stop))
                        {
                            var lines = _nextLine - Line;
                            Reject(_fields.Count, stop switch
                            {
                                ContinueStop.End => "a quoted field opens on this line and is never closed (end of input); the row is rejected, the lines after it are read",
                                ContinueStop.Row => $"a quoted field opens on this line and is not closed before line {_nextLine - 1:N0}, a row of its own ({ExpectedFieldCount} fields, no quote); the row is rejected, the lines after it are read",
                                _ => $"a quoted field opens on this line and is still open after {lines:N0} lines (at most {MaxRecordLines:N0} lines and {MaxRecordChars:N0} characters); the row is rejected, the lines after it are read",
                            });
                            return;
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
                if (trailing < 0 && pos < line.Length && line[pos] != separator)
                {
                    trailing = _fields.Count;
                }

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

        if (_inRecordCopy)
        {
            // Line breaks inside quotes are RFC 4180; a stray quote that the next quote happens to
            // close is not, and would swallow the rows between them: a record spanning lines must
            // end each quoted field at a separator and have the header's field count.
            var lines = _nextLine - Line;
            if (trailing >= 0)
            {
                Reject(trailing, $"a quoted field spans {lines:N0} lines from this one and its closing quote is not followed by a separator: taken as an unclosed quote; the row is rejected, the lines after it are read");
            }
            else if (ExpectedFieldCount > 0 && _fields.Count != ExpectedFieldCount)
            {
                Reject(0, $"a quoted field spans {lines:N0} lines from this one and leaves the row with {_fields.Count} fields, not the header's {ExpectedFieldCount}: taken as an unclosed quote; the row is rejected, the lines after it are read");
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
