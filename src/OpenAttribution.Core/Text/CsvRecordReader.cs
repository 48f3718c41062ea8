namespace OpenAttribution.Core.Text;

/// <summary>
/// Streams RFC 4180 records from a reader, one at a time: quoted fields, doubled quotes and line
/// breaks inside quotes. Fields are spans over an internal buffer, valid until the next
/// <see cref="Read"/>. The whole input is never held in memory.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private char _separator;
    private readonly List<(int Start, int Length)> _fields = [];
    private char[] _scratch = new char[256];
    private string _line = string.Empty;
    private long _nextLine = 1;

    public CsvRecordReader(TextReader reader, char separator = ',')
    {
        _reader = reader;
        _separator = separator;
    }

    /// <summary>The field separator; may be changed after the header has been inspected.</summary>
    public char Separator
    {
        get => _separator;
        set => _separator = value;
    }

    /// <summary>1-based physical line on which the current record starts.</summary>
    public long Line { get; private set; }

    public int FieldCount => _fields.Count;

    /// <summary>The raw text of the current record.</summary>
    public string RawLine => _line;

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var (start, length) = _fields[index];
            return start >= 0 ? _line.AsSpan(start, length) : _scratch.AsSpan(~start, length);
        }
    }

    /// <summary>Reads the next record. Blank lines are skipped. Returns false at the end.</summary>
    public bool Read()
    {
        string? line;
        do
        {
            line = _reader.ReadLine();
            if (line is null)
            {
                return false;
            }

            Line = _nextLine++;
        }
        while (line.Length == 0);

        _line = line;
        _fields.Clear();
        Split();
        return true;
    }

    private void Split()
    {
        var scratchUsed = 0;
        var pos = 0;
        while (true)
        {
            if (pos < _line.Length && _line[pos] == '"')
            {
                // Quoted field: copy unescaped content to scratch; may continue on next lines.
                var start = scratchUsed;
                pos++;
                while (true)
                {
                    if (pos >= _line.Length)
                    {
                        var more = _reader.ReadLine();
                        if (more is null)
                        {
                            break;
                        }

                        // A line break inside quotes: the record goes on on the next line.
                        _nextLine++;
                        _line = string.Concat(_line, "\n", more);
                        continue;
                    }

                    var c = _line[pos];
                    if (c == '"')
                    {
                        if (pos + 1 < _line.Length && _line[pos + 1] == '"')
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
                while (pos < _line.Length && _line[pos] != _separator)
                {
                    Append(ref scratchUsed, _line[pos++]);
                }

                _fields.Add((~start, scratchUsed - start));
            }
            else
            {
                var end = _line.IndexOf(_separator, pos);
                if (end < 0)
                {
                    end = _line.Length;
                }

                var len = end - pos;
                if (len > 0 && _line[end - 1] == '\r')
                {
                    len--;
                }

                _fields.Add((pos, len));
                pos = end;
            }

            if (pos >= _line.Length)
            {
                break;
            }

            pos++; // skip separator
            if (pos == _line.Length)
            {
                _fields.Add((pos, 0));
                break;
            }
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
