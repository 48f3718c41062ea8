using System.Globalization;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Paths;

/// <summary>
/// Reads a ChannelAttribution path table (spec section 6): CSV, comma- or semicolon-separated
/// (detected from the header), columns <c>path,total_conversions,total_conversion_value,total_null</c>.
/// Bad rows are collected with line, field and value; good rows are kept.
/// </summary>
public static class PathTableReader
{
    public const string PathColumn = "path";
    public const string ConversionsColumn = "total_conversions";
    public const string ValueColumn = "total_conversion_value";
    public const string NullColumn = "total_null";

    /// <summary>Text up to this many characters is read whole and, without quotes, split over the cores; beyond it, one thread reads on.</summary>
    private const int ParallelLimit = 1 << 28;

    /// <summary>Below this many characters one thread reads it all.</summary>
    private const int ParallelMinimum = 1 << 20;

    /// <summary>
    /// Reads the table. A text without quotes, of 1 Mi to 256 Mi characters, is cut at line ends into
    /// one part per core, each part read on its own thread (its channels interned apart), and the parts'
    /// rows are then added in file order: the same table, bit for bit, and the same errors in the same
    /// order as one thread reading it all. (A text opening with a blank line, whose header comes later,
    /// is read by one thread.)
    /// </summary>
    public static PathTableReadResult Read(TextReader text, PathTableBuilder? builder = null) => Read(text, builder, parallel: true);

    internal static PathTableReadResult Read(TextReader text, PathTableBuilder? builder, bool parallel)
    {
        ArgumentNullException.ThrowIfNull(text);
        builder ??= new PathTableBuilder();
        // The text read whole (up to the limit) into one buffer; parts are read from it in place.
        var buffer = new char[1 << 16];
        var length = 0;
        int read;
        while (length < ParallelLimit && (read = text.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length && length < ParallelLimit)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        var all = buffer.AsMemory(0, length);
        var body = all.Span;
        var parts = parallel ? Math.Min(Environment.ProcessorCount, 8) : 1;
        var firstLineEnd = body.IndexOf('\n');
        if (length >= ParallelLimit || parts < 2 || length < ParallelMinimum || firstLineEnd < 0 || body[..firstLineEnd].Trim().IsEmpty || body.Contains('"'))
        {
            var rest = length >= ParallelLimit ? new ConcatenatedReader(all, text) : (TextReader)new MemoryReader(all);
            var csv = new CsvRecordReader(rest);
            var header = ReadHeader(csv);
            var errors = new List<InputError>();
            var rows = ReadRows(csv, header, new BuilderSink(builder), errors, 0);
            return new PathTableReadResult(builder.Build(), rows, errors);
        }

        var headerReader = new CsvRecordReader(new MemoryReader(all[..(firstLineEnd + 1)]));
        var columns = ReadHeader(headerReader);

        // Cut the body into parts at line ends; each knows the physical line it starts on.
        var cuts = new List<int> { firstLineEnd + 1 };
        for (var i = 1; i < parts; i++)
        {
            var at = Math.Max(firstLineEnd + 1 + (int)((long)(length - firstLineEnd - 1) * i / parts), cuts[^1]);
            var end = body[at..].IndexOf('\n');
            if (end < 0)
            {
                break;
            }

            cuts.Add(at + end + 1);
        }

        cuts.Add(length);
        var pieces = new Part[cuts.Count - 1];
        Parallel.For(0, pieces.Length, Parallelism.Options(), i =>
        {
            // The part's line 1 is the file's line 2 (after the header) plus the lines before the part.
            var linesBefore = 1 + all.Span[(firstLineEnd + 1)..cuts[i]].Count('\n');
            var csv = new CsvRecordReader(new MemoryReader(all[cuts[i]..cuts[i + 1]])) { Separator = columns.Separator };
            var part = new Part();
            part.Rows = ReadRows(csv, columns, part, part.Errors, linesBefore);
            pieces[i] = part;
        });

        var total = 0L;
        var allErrors = new List<InputError>();
        foreach (var part in pieces)
        {
            part.AddTo(builder);
            total += part.Rows;
            allErrors.AddRange(part.Errors);
        }

        return new PathTableReadResult(builder.Build(), total, allErrors);
    }

    private sealed record Header(char Separator, string[] Columns, int Path, int Conversions, int Value, int Nulls);

    private static Header ReadHeader(CsvRecordReader csv)
    {
        if (!csv.Read())
        {
            throw new FormatException("The path table is empty: expected a header row with the columns path,total_conversions,total_conversion_value,total_null.");
        }

        var header = csv.RawLine;
        csv.Separator = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        // Re-split the header with the detected separator.
        var columns = header.Split(csv.Separator).Select(c => c.Trim().Trim('"').Trim().ToLowerInvariant()).ToArray();
        var iPath = Array.IndexOf(columns, PathColumn);
        var iConv = Array.IndexOf(columns, ConversionsColumn);
        var iValue = Array.IndexOf(columns, ValueColumn);
        var iNull = Array.IndexOf(columns, NullColumn);
        if (iPath < 0 || (iConv < 0 && iNull < 0))
        {
            throw new FormatException(
                $"The path table header '{header}' must name the columns {PathColumn} and {ConversionsColumn} (and optionally {ValueColumn}, {NullColumn}).");
        }

        return new Header(csv.Separator, columns, iPath, iConv, iValue, iNull);
    }

    /// <summary>Where rows go: the builder itself, or a part's own rows to add to it later.</summary>
    private interface IRowSink
    {
        Interner Channels { get; }

        void Add(ReadOnlySpan<int> path, double conversions, double value, double nulls);
    }

    private static long ReadRows(CsvRecordReader csv, Header h, IRowSink sink, List<InputError> errors, long lineOffset)
    {
        csv.ExpectedFieldCount = h.Columns.Length;
        var rows = 0L;
        var path = new List<int>();
        while (csv.Read())
        {
            var line = csv.Line + lineOffset;
            if (csv.Problem is { } problem)
            {
                errors.Add(problem.ToError(line, csv.RawLine, h.Columns));
                continue;
            }

            var ok = true;
            path.Clear();
            var pathText = Field(csv, h.Path);
            // An empty path, or one of only "(none)": conversions with no touch, written as journeys write them.
            // The steps are cut out of the field as spans and interned without a string per step.
            for (var rest = pathText; !rest.IsEmpty;)
            {
                var cut = rest.IndexOf('>');
                var name = (cut < 0 ? rest : rest[..cut]).Trim();
                rest = cut < 0 ? [] : rest[(cut + 1)..];
                if (name.IsEmpty || (cut >= 0 && rest.Trim().IsEmpty))
                {
                    errors.Add(new InputError(line, PathColumn, pathText.ToString(), "empty channel name in path"));
                    ok = false;
                    break;
                }

                // "(none)" stands for no touch: a step of a longer path is no step at all.
                if (!name.SequenceEqual(JourneySet.NoneChannel))
                {
                    path.Add(sink.Channels.Intern(name));
                }
            }

            if (ok && path.Count == 0)
            {
                path.Add(sink.Channels.Intern(JourneySet.NoneChannel));
            }

            ok &= Number(csv, h.Conversions, ConversionsColumn, errors, line, out var conv, signed: false);
            ok &= Number(csv, h.Value, ValueColumn, errors, line, out var value, signed: true);
            ok &= Number(csv, h.Nulls, NullColumn, errors, line, out var nulls, signed: false);
            if (!ok)
            {
                continue;
            }

            sink.Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(path), conv, value, nulls);
            rows++;
        }

        return rows;
    }

    private sealed class BuilderSink(PathTableBuilder builder) : IRowSink
    {
        public Interner Channels => builder.Channels;

        public void Add(ReadOnlySpan<int> path, double conversions, double value, double nulls) => builder.Add(path, conversions, value, nulls);
    }

    /// <summary>
    /// A part's rows as read, not added up (so that adding them to the builder in file order sums
    /// exactly as one thread would), with its own channel ids.
    /// </summary>
    private sealed class Part : IRowSink
    {
        private readonly List<int> _ids = [];
        private readonly List<int> _ends = [];
        private readonly List<double> _numbers = [];

        public Interner Channels { get; } = new();

        public List<InputError> Errors { get; } = [];

        public long Rows { get; set; }

        public void Add(ReadOnlySpan<int> path, double conversions, double value, double nulls)
        {
            _ids.AddRange(path);
            _ends.Add(_ids.Count);
            _numbers.Add(conversions);
            _numbers.Add(value);
            _numbers.Add(nulls);
        }

        /// <summary>Adds the rows in order; a channel new to the builder gets its id in the order this part first named it.</summary>
        public void AddTo(PathTableBuilder builder)
        {
            var map = new int[Channels.Count];
            for (var c = 0; c < map.Length; c++)
            {
                map[c] = builder.Channels.Intern(Channels[c]);
            }

            var ids = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids);
            foreach (ref var id in ids)
            {
                id = map[id];
            }

            var start = 0;
            for (var r = 0; r < _ends.Count; r++)
            {
                builder.Add(ids[start.._ends[r]], _numbers[3 * r], _numbers[(3 * r) + 1], _numbers[(3 * r) + 2]);
                start = _ends[r];
            }
        }
    }

    /// <summary>Characters in memory as a reader, without a copy.</summary>
    private sealed class MemoryReader(ReadOnlyMemory<char> text) : TextReader
    {
        private int _at;

        public override int Peek() => _at < text.Length ? text.Span[_at] : -1;

        public override int Read() => _at < text.Length ? text.Span[_at++] : -1;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, text.Length - _at);
            text.Span.Slice(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }
    }

    /// <summary>The text read so far, then the rest of the reader.</summary>
    private sealed class ConcatenatedReader(ReadOnlyMemory<char> first, TextReader rest) : TextReader
    {
        private readonly MemoryReader _first = new(first);
        private bool _firstDone;

        public override int Peek() => _firstDone ? rest.Peek() : _first.Peek() is var c && c >= 0 ? c : rest.Peek();

        public override int Read()
        {
            if (!_firstDone)
            {
                var c = _first.Read();
                if (c >= 0)
                {
                    return c;
                }

                _firstDone = true;
            }

            return rest.Read();
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (!_firstDone)
            {
                var n = _first.Read(buffer);
                if (n > 0)
                {
                    return n;
                }

                _firstDone = true;
            }

            return rest.Read(buffer);
        }
    }

    private static ReadOnlySpan<char> Field(CsvRecordReader csv, int index) =>
        index >= 0 && index < csv.FieldCount ? csv[index].Trim() : [];

    private static bool Number(CsvRecordReader csv, int index, string name, List<InputError> errors, long line, out double value, bool signed)
    {
        value = 0;
        var text = Field(csv, index);
        if (text.IsEmpty)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && (signed || value >= 0))
        {
            return true;
        }

        errors.Add(new InputError(line, name, text.ToString(), signed ? "not a finite number" : "not a non-negative number"));
        return false;
    }
}

public sealed record PathTableReadResult(PathTable Table, long Rows, IReadOnlyList<InputError> Errors);
