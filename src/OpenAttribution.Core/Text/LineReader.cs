namespace OpenAttribution.Core.Text;

/// <summary>
/// Physical lines of a text, ended by LF alone (a CR before the LF is dropped; a lone CR is a
/// character of the line, as in every editor's line count for such files, unlike
/// <see cref="TextReader.ReadLine"/>, which also ends a line at a lone CR). Lines are spans over a
/// reused buffer, valid until the next <see cref="Next"/>.
/// </summary>
public sealed class LineReader(TextReader reader)
{
    private char[] _buffer = new char[1 << 16];
    private int _position;
    private int _end;
    private bool _eof;

    /// <summary>The next line, without its line break; false at the end of the text.</summary>
    public bool Next(out ReadOnlySpan<char> line)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_position + searched, _end - _position - searched).IndexOf('\n');
            if (newline >= 0 || _eof)
            {
                var length = newline >= 0 ? searched + newline : _end - _position;
                if (newline < 0 && length == 0)
                {
                    line = default;
                    return false;
                }

                line = _buffer.AsSpan(_position, length);
                _position += newline >= 0 ? length + 1 : length;
                if (!line.IsEmpty && line[^1] == '\r')
                {
                    line = line[..^1];
                }

                return true;
            }

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
}
