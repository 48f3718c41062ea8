namespace OpenAttribution.Core.Text;

/// <summary>
/// Physical lines of a text, ended by LF alone (a CR before the LF is dropped; a lone CR is a
/// character of the line, as in every editor's line count for such files, unlike
/// <see cref="TextReader.ReadLine"/>, which also ends a line at a lone CR). Lines are spans over a
/// reused buffer, valid until the next <see cref="Next(out ReadOnlySpan{char})"/>. The CSV reader
/// reads its lines here too, and gives back the lines a rejected record had taken.
/// </summary>
public sealed class LineReader(TextReader reader)
{
    private char[] _buffer = new char[1 << 16];
    private int _position;
    private int _end;
    private bool _eof;

    /// <summary>The buffer the offsets of <see cref="Next(out int, out int)"/> point into; it changes on the next read.</summary>
    internal char[] Buffer => _buffer;

    /// <summary>The next line, without its line break; false at the end of the text.</summary>
    public bool Next(out ReadOnlySpan<char> line)
    {
        var more = Next(out var start, out var length);
        line = _buffer.AsSpan(start, length);
        return more;
    }

    /// <summary>The next line as an offset and length in <see cref="Buffer"/>, without its line break; false at the end.</summary>
    internal bool Next(out int start, out int length)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_position + searched, _end - _position - searched).IndexOf('\n');
            if (newline >= 0 || _eof)
            {
                start = _position;
                length = newline >= 0 ? searched + newline : _end - _position;
                _position = newline >= 0 ? _position + length + 1 : _end;
                LastHadCarriageReturn = length > 0 && _buffer[start + length - 1] == '\r';
                if (LastHadCarriageReturn)
                {
                    length--;
                }

                return newline >= 0 || _end > start;
            }

            // Keep the unfinished line, make room, read more.
            searched = _end - _position;
            if (_position > 0)
            {
                Array.Copy(_buffer, _position, _buffer, 0, searched);
                _end = searched;
                _position = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = reader.Read(_buffer, _end, _buffer.Length - _end);
            _eof = read == 0;
            _end += read;
        }
    }

    /// <summary>Whether the line <see cref="Next(out int, out int)"/> gave last ended in a CR that it dropped.</summary>
    internal bool LastHadCarriageReturn { get; private set; }

    /// <summary>Puts <paramref name="lines"/> and a line break back in front of what is still to be read.</summary>
    internal void Unread(ReadOnlySpan<char> lines)
    {
        var rest = _end - _position;
        var total = lines.Length + 1 + rest;
        var target = total <= _buffer.Length ? _buffer : new char[Math.Max(total, _buffer.Length * 2)];
        Array.Copy(_buffer, _position, target, lines.Length + 1, rest);
        lines.CopyTo(target);
        target[lines.Length] = '\n';
        _buffer = target;
        _position = 0;
        _end = total;
    }
}
