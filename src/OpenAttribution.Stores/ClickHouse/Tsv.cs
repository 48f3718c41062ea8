using System.Globalization;
using System.Text;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// ClickHouse's TabSeparated format: fields separated by tabs, rows by newlines, with backslash,
/// tab, newline, carriage return and NUL escaped by a backslash.
/// </summary>
internal static class Tsv
{
    /// <summary>Unescapes one field.</summary>
    public static string Unescape(ReadOnlySpan<char> field)
    {
        if (field.IndexOf('\\') < 0)
        {
            return field.ToString();
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c != '\\' || i + 1 == field.Length)
            {
                text.Append(c);
                continue;
            }

            text.Append(field[++i] switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                '0' => '\0',
                'b' => '\b',
                'f' => '\f',
                var other => other,
            });
        }

        return text.ToString();
    }

    /// <summary>The fields of a line (still escaped).</summary>
    public static string[] Split(string line) => line.Split('\t');

    public static long Long(string field) => long.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static double Double(string field) => field switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>An Array(UInt32) field, e.g. <c>[1,2,3]</c>.</summary>
    public static int[] IntArray(string field)
    {
        var inner = field.AsSpan(1, field.Length - 2);
        if (inner.IsEmpty)
        {
            return [];
        }

        var result = new List<int>();
        foreach (var range in inner.Split(','))
        {
            result.Add(int.Parse(inner[range], NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return [.. result];
    }

    /// <summary>A string literal for SQL.</summary>
    public static string Quote(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}

/// <summary>Builds a TSV body in memory, row by row.</summary>
internal sealed class TsvWriter
{
    private char[] _chars = new char[1 << 16];
    private int _length;
    private bool _rowStarted;
    private byte[] _bytes = [];

    public int Rows { get; private set; }

    /// <summary>Characters written so far (the flush threshold).</summary>
    public int Length => _length;

    public TsvWriter Field(ReadOnlySpan<char> text)
    {
        Separator();
        Ensure(text.Length * 2);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': Put('\\', '\\'); break;
                case '\t': Put('\\', 't'); break;
                case '\n': Put('\\', 'n'); break;
                case '\r': Put('\\', 'r'); break;
                case '\0': Put('\\', '0'); break;
                default: _chars[_length++] = c; break;
            }
        }

        return this;
    }

    public TsvWriter Field(long value)
    {
        Separator();
        Ensure(24);
        value.TryFormat(_chars.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    public TsvWriter Field(double value)
    {
        Separator();
        Ensure(32);
        value.TryFormat(_chars.AsSpan(_length), out var n, "R", CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    public void EndRow()
    {
        Ensure(1);
        _chars[_length++] = '\n';
        _rowStarted = false;
        Rows++;
    }

    /// <summary>The UTF-8 body and its length; valid until the next write.</summary>
    public (byte[] Bytes, int Length) Encode()
    {
        var needed = Encoding.UTF8.GetMaxByteCount(_length);
        if (_bytes.Length < needed)
        {
            _bytes = new byte[needed];
        }

        return (_bytes, Encoding.UTF8.GetBytes(_chars, 0, _length, _bytes, 0));
    }

    public void Clear()
    {
        _length = 0;
        Rows = 0;
        _rowStarted = false;
    }

    private void Separator()
    {
        if (_rowStarted)
        {
            Ensure(1);
            _chars[_length++] = '\t';
        }

        _rowStarted = true;
    }

    private void Put(char a, char b)
    {
        _chars[_length++] = a;
        _chars[_length++] = b;
    }

    private void Ensure(int more)
    {
        if (_length + more > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_length + more, _chars.Length * 2));
        }
    }
}
