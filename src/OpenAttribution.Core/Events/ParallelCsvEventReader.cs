using System.Runtime.InteropServices;
using System.Text;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Reads a CSV event file into an <see cref="EventTable"/> on every core. The result is the table
/// <see cref="EventTableBuilder"/> builds from <see cref="CsvEventReader"/>, array for array: the same
/// rows in the same order, the same ids, the same rejections with the same line numbers.
/// </summary>
/// <remarks>
/// <para>
/// The text is cut into parts of about <c>partBytes</c> at line breaks, and each part is read on its
/// own with a reader that starts at the part's first line. A part's reader reads the records that
/// start on its lines; one that goes on past the part's end (a quoted field over line breaks) is read
/// whole, and the next part is read again from the line after it, so every record is read as one
/// reader over the whole text would read it.
/// </para>
/// <para>
/// A part keeps per row what does not need the other parts (times, types, values, the resolved traffic
/// source as ids of its own) and the 128-bit hashes of its event, user and anonymous ids, sorted into
/// buckets by the hash's top bits. Then each bucket of all parts, in row order, is one small table:
/// the first row of an event id keeps it and later ones are dropped; the first row of a user or an
/// anonymous id is found for every row. Ids are then given in row order, as one reader would give
/// them, and the parts' names are merged in part order.
/// </para>
/// </remarks>
public static class ParallelCsvEventReader
{
    /// <summary>The size of a part, in bytes.</summary>
    public const int DefaultPartBytes = 32 << 20;

    /// <summary>Key buckets per part: 64, so one bucket's table of 10M keys stays in the cache.</summary>
    private const int BucketBits = 6;

    private const int Buckets = 1 << BucketBits;

    /// <summary>The events, the reader's counts, and the rows dropped for a repeated <c>event_id</c>.</summary>
    public sealed record Result(EventTable Events, ReadSummary Summary, long Duplicates, IReadOnlyList<InputError> Errors);

    /// <summary>
    /// Reads the CSV text of <paramref name="length"/> bytes that <paramref name="open"/> gives from any
    /// byte offset to its end (UTF-8, with or without a byte order mark). <paramref name="onReject"/>
    /// sees every rejected row, in line order, after the parts are read.
    /// </summary>
    public static Result Read(
        long length,
        Func<long, Stream> open,
        ChannelGrouping? grouping = null,
        Action<InputError>? onReject = null,
        int partBytes = DefaultPartBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(partBytes, 1);
        grouping ??= ChannelGrouping.Default;
        if (!IsUtf8(open, out var bytesPerLine))
        {
            return ReadWhole(open, grouping, onReject);
        }

        CsvEventReader.Header? header;
        using (var text = new StreamReader(open(0), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 12))
        {
            header = CsvEventReader.ReadHeader(new CsvRecordReader(text));
        }

        if (header is null)
        {
            return new Result(new EventTableBuilder(grouping).Build(), new ReadSummary(0, 0, 0), 0, []);
        }

        var starts = PartStarts(length, open, partBytes);
        var parts = new Part[starts.Count];
        T("start");
        Parallel.For(0, parts.Length, Parallelism.Options(cancellationToken), i =>
            parts[i] = ReadPart(open, header, grouping, starts, i, skipLines: 0, bytesPerLine));
        T("parts");
        Rechain(parts, open, header, grouping, starts, bytesPerLine);
        return Merge(parts, onReject, cancellationToken);
    }

    private static readonly System.Diagnostics.Stopwatch Sw = System.Diagnostics.Stopwatch.StartNew();

    private static readonly bool NoKeys = Environment.GetEnvironmentVariable("OA_NOKEYS") == "1";

    private static void T(string what)
    {
        Console.Error.WriteLine($"  {what}: {Sw.Elapsed.TotalSeconds:F2} s gc2={GC.CollectionCount(2)}");
        Sw.Restart();
    }

    /// <summary>False for a text that opens with a UTF-16 or UTF-32 byte order mark: its line breaks are not single bytes.</summary>
    /// <remarks>Also gives the mean bytes per line of the text's start, to size the parts' columns.</remarks>
    private static bool IsUtf8(Func<long, Stream> open, out int bytesPerLine)
    {
        using var stream = open(0);
        var head = new byte[1 << 18];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        bytesPerLine = Math.Max(16, n / Math.Max(1, head.AsSpan(0, n).Count((byte)'\n')));
        return n < 2 || !((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
    }

    private static Result ReadWhole(Func<long, Stream> open, ChannelGrouping grouping, Action<InputError>? onReject)
    {
        var builder = new EventTableBuilder(grouping, onReject);
        using var text = new StreamReader(open(0), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var summary = CsvEventReader.Read(text, builder);
        return new Result(builder.Build(), summary, builder.Duplicates, builder.Errors);
    }

    /// <summary>Where each part starts: offset 0, then just after the first line break at or past each multiple of <paramref name="partBytes"/>.</summary>
    private static List<long> PartStarts(long length, Func<long, Stream> open, int partBytes)
    {
        var starts = new List<long> { 0 };
        var buffer = new byte[1 << 16];
        for (var nominal = (long)partBytes; nominal < length; nominal = Math.Max(nominal + partBytes, starts[^1] + partBytes))
        {
            using var stream = open(nominal);
            long at = nominal;
            var found = -1L;
            int read;
            while (found < 0 && (read = stream.Read(buffer)) > 0)
            {
                var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    found = at + newline + 1;
                }

                at += read;
            }

            if (found < 0 || found >= length)
            {
                break;
            }

            starts.Add(found);
        }

        return starts;
    }

    /// <summary>One part's rows, as its reader saw them, with line numbers counted from the part's first line.</summary>
    private sealed class Part(int capacity)
    {
        public Dimensions Names { get; } = new();

        public Column<long> Timestamps { get; } = new(capacity);

        public Column<EventType> Types { get; } = new(capacity);

        public Column<double> Values { get; } = new(capacity);

        public Column<int> Conversions { get; } = new(capacity);

        public Column<int> Channels { get; } = new(capacity);

        public Column<int> Sources { get; } = new(capacity);

        public Column<int> Mediums { get; } = new(capacity);

        public Column<int> Campaigns { get; } = new(capacity);

        public KeyBuckets EventIds { get; } = new(capacity);

        public KeyBuckets Users { get; } = new(capacity);

        public KeyBuckets AnonymousIds { get; } = new(capacity);

        public List<InputError> Errors { get; } = [];

        public ReadSummary Summary { get; set; } = new(0, 0, 0);

        /// <summary>Lines of the part: line breaks from its start to the next part's start.</summary>
        public long Lines { get; set; }

        /// <summary>The last line its records took, counted from the part's first line (0: none).</summary>
        public long EndLine { get; set; }

        public int Count => Timestamps.Count;
    }

    /// <summary>One row's hashed id: the hash and the row within its part.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly struct KeyEntry(UInt128 hash, int row)
    {
        public readonly ulong Lo = (ulong)hash;
        public readonly ulong Hi = (ulong)(hash >> 64);
        public readonly int Row = row;

        public UInt128 Hash => new(Hi, Lo);
    }

    /// <summary>A part's hashed ids of one kind, by bucket, each bucket in row order.</summary>
    private sealed class KeyBuckets
    {
        public KeyBuckets(int capacity)
        {
            var each = Math.Max(16, capacity / Buckets);
            Parts = new Column<KeyEntry>[Buckets];
            for (var b = 0; b < Buckets; b++)
            {
                Parts[b] = new Column<KeyEntry>(each);
            }
        }

        public Column<KeyEntry>[] Parts { get; }

        public void Add(ReadOnlySpan<char> id, int row)
        {
            var hash = HashedIds.Hash(id);
            Parts[Bucket(hash)].Add(new KeyEntry(hash, row));
        }

        public static int Bucket(UInt128 hash) => (int)((ulong)(hash >> 64) >> (64 - BucketBits));
    }

    /// <summary>The sink of one part: what a row needs of no other part, and its ids' hashes.</summary>
    private sealed class PartSink(Part part, ChannelGrouping grouping) : IEventSink
    {
        private readonly TrafficSourceCache _traffic = new(grouping, part.Names);

        public void Reject(InputError error) => part.Errors.Add(error);

        public void Accept(in EventRow row)
        {
            var r = part.Count;
            if (NoKeys) { } else
            if (!row.EventId.IsEmpty)
            {
                part.EventIds.Add(row.EventId, r);
            }

            if (!row.UserId.IsEmpty)
            {
                part.Users.Add(row.UserId, r);
            }

            if (!row.AnonymousId.IsEmpty)
            {
                part.AnonymousIds.Add(row.AnonymousId, r);
            }

            part.Timestamps.Add(row.TimestampTicks);
            part.Types.Add(row.Type);
            part.Values.Add(row.Type == EventType.Conversion ? row.Value : 0);
            part.Conversions.Add(row.Type == EventType.Conversion ? part.Names.ConversionNames.Intern(row.Conversion) : -1);
            var (channel, source, medium, campaign) = row.Type == EventType.Touch ? _traffic.Resolve(row) : (-1, -1, -1, -1);
            part.Channels.Add(channel);
            part.Sources.Add(source);
            part.Mediums.Add(medium);
            part.Campaigns.Add(campaign);
        }
    }

    /// <summary>Reads part <paramref name="index"/>, from the line after its first <paramref name="skipLines"/> lines.</summary>
    private static Part ReadPart(
        Func<long, Stream> open, CsvEventReader.Header header, ChannelGrouping grouping, List<long> starts, int index, long skipLines, int bytesPerLine)
    {
        var start = starts[index];
        var limit = index + 1 < starts.Count ? starts[index + 1] - start : long.MaxValue;
        var part = new Part((int)Math.Min(1 << 22, 1024 + (Math.Min(limit, starts.Count > 1 ? starts[1] : 1 << 22) / bytesPerLine * 17 / 16)));
        using var stream = new PartStream(open(start), limit, skipLines);
        using var text = index == 0
            ? new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16)
            : new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false, 1 << 16);
        var csv = new CsvRecordReader(text);
        if (index == 0 && skipLines == 0)
        {
            CsvEventReader.ReadHeader(csv);
        }
        else
        {
            csv.ExpectedFieldCount = header.Columns.Length;
            csv.StartAtLine(skipLines + 1);
        }

        part.Summary = CsvEventReader.ReadRecords(csv, header, new PartSink(part, grouping), () => stream.Lines ?? long.MaxValue, out var endLine);
        part.EndLine = endLine;
        part.Lines = stream.CountLines();
        return part;
    }

    /// <summary>
    /// Where a part's last record went on into the next part, reads that part again from the line after
    /// it (a part it took whole is left empty); in part order, so each part starts where one reader of
    /// the whole text would be.
    /// </summary>
    private static void Rechain(Part[] parts, Func<long, Stream> open, CsvEventReader.Header header, ChannelGrouping grouping, List<long> starts, int bytesPerLine)
    {
        long firstLine = 1;
        var consumed = parts[0].EndLine;
        for (var i = 1; i < parts.Length; i++)
        {
            firstLine += parts[i - 1].Lines;
            var lines = parts[i].Lines;
            if (consumed >= firstLine)
            {
                var skip = consumed - firstLine + 1;
                if (skip >= lines && i + 1 < parts.Length)
                {
                    parts[i] = new Part(16) { Lines = lines };
                    continue;
                }

                parts[i] = ReadPart(open, header, grouping, starts, i, skip, bytesPerLine);
            }

            if (parts[i].EndLine > 0)
            {
                consumed = Math.Max(consumed, firstLine - 1 + parts[i].EndLine);
            }
        }
    }

    /// <summary>
    /// A part's bytes: from its start to the end of the text (a record may go on past the part), with
    /// the part's line breaks counted as they pass, and optionally its first lines skipped.
    /// </summary>
    private sealed class PartStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _limit;
        private long _position;
        private long _newlines;

        public PartStream(Stream inner, long limit, long skipLines)
        {
            _inner = inner;
            _limit = limit;
            if (skipLines > 0)
            {
                Skip(skipLines);
            }
        }

        /// <summary>The part's line count, once the reader has been given the part's last byte.</summary>
        public long? Lines { get; private set; }

        public long CountLines()
        {
            var buffer = new byte[1 << 16];
            while (Lines is null && Read(buffer) > 0)
            {
            }

            return Lines ?? _newlines;
        }

        private void Skip(long lines)
        {
            var buffer = new byte[1 << 16];
            while (_newlines < lines)
            {
                var n = _inner.Read(buffer);
                if (n == 0)
                {
                    return;
                }

                var span = buffer.AsSpan(0, n);
                var at = 0;
                while (_newlines < lines && at < n)
                {
                    var next = span[at..].IndexOf((byte)'\n');
                    if (next < 0)
                    {
                        at = n;
                        break;
                    }

                    at += next + 1;
                    _newlines++;
                }

                _position += at;
                if (at < n)
                {
                    // Keep what follows the skipped lines: the inner stream seeks back to it.
                    _inner.Seek(at - n, SeekOrigin.Current);
                }
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = _inner.Read(buffer);
            if (Lines is null)
            {
                var inPart = (int)Math.Min(n, _limit - _position);
                _newlines += buffer[..inPart].Count((byte)'\n');
                if (_position + n >= _limit || n == 0)
                {
                    Lines = _newlines;
                }
            }

            _position += n;
            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static Result Merge(Part[] parts, Action<InputError>? onReject, CancellationToken cancellationToken)
    {
        var errors = new List<InputError>();
        long firstLine = 1, rows = 0, valid = 0;
        var rowOffset = new int[parts.Length + 1];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            foreach (var error in part.Errors)
            {
                var numbered = firstLine == 1 ? error : error with { Line = error.Line + firstLine - 1 };
                errors.Add(numbered);
                onReject?.Invoke(numbered);
            }

            rows += part.Summary.Rows;
            valid += part.Summary.Valid;
            firstLine += part.Lines;
            rowOffset[i + 1] = checked(rowOffset[i] + part.Count);
        }

        var total = rowOffset[^1];
        var options = Parallelism.Options(cancellationToken);
        var dropped = new bool[total];
        T("merge start");
        var duplicates = Deduplicate(parts, rowOffset, dropped, options);
        T("dedup");
        var users = FirstRows(parts, p => p.Users, rowOffset, dropped, options);
        var anonymous = FirstRows(parts, p => p.AnonymousIds, rowOffset, dropped, options);
        T("ids");
        var names = new Dimensions(HashedIds.FromKeys(users.Keys), HashedIds.FromKeys(anonymous.Keys));
        var maps = new NameMaps[parts.Length];
        var droppedRows = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            maps[i] = MapNames(parts[i], rowOffset[i], names, dropped, out droppedRows[i]);
        }

        T("names");
        var table = Assemble(parts, rowOffset, dropped, droppedRows, users.Ids, anonymous.Ids, maps, names, options);
        T("assemble");
        return new Result(table, new ReadSummary(rows, valid, rows - valid), duplicates, errors);
    }

    /// <summary>Marks every row whose event id an earlier row had; the count of them.</summary>
    private static long Deduplicate(Part[] parts, int[] rowOffset, bool[] dropped, ParallelOptions options)
    {
        long duplicates = 0;
        Parallel.For(0, Buckets, options, () => (Count: 0L, Table: new BucketTable()), (b, _, local) =>
        {
            var table = local.Table;
            table.Reset(parts.Sum(p => p.EventIds.Parts[b].Count));
            for (var i = 0; i < parts.Length; i++)
            {
                foreach (var e in parts[i].EventIds.Parts[b].AsSpan())
                {
                    if (table.FirstRow(e, rowOffset[i] + e.Row) >= 0)
                    {
                        dropped[rowOffset[i] + e.Row] = true;
                        local.Count++;
                    }
                }
            }

            return local;
        }, local => Interlocked.Add(ref duplicates, local.Count));
        return duplicates;
    }

    /// <summary>
    /// The id of every kept row's user (or anonymous) id, -1 for none, given in the order of their first
    /// rows, and the hashes by id.
    /// </summary>
    private static (int[] Ids, UInt128[] Keys) FirstRows(Part[] parts, Func<Part, KeyBuckets> kind, int[] rowOffset, bool[] dropped, ParallelOptions options)
    {
        var first = new int[rowOffset[^1]];
        Array.Fill(first, -1);
        T("  alloc");
        var newKeys = new List<(int Row, UInt128 Hash)>[Buckets];
        Parallel.For(0, Buckets, options, () => new BucketTable(), (b, _, table) =>
        {
            table.Reset(parts.Sum(p => kind(p).Parts[b].Count));
            var found = new List<(int Row, UInt128 Hash)>();
            for (var i = 0; i < parts.Length; i++)
            {
                foreach (var e in kind(parts[i]).Parts[b].AsSpan())
                {
                    var row = rowOffset[i] + e.Row;
                    if (dropped[row])
                    {
                        continue;
                    }

                    var earlier = table.FirstRow(e, row);
                    if (earlier < 0)
                    {
                        found.Add((row, e.Hash));
                        first[row] = row;
                    }
                    else
                    {
                        first[row] = earlier;
                    }
                }
            }

            newKeys[b] = found;
            return table;
        }, _ => { });

        T("  buckets");
        // In row order: a first row takes the next id; a later row the id its first row took.
        var next = 0;
        for (var r = 0; r < first.Length; r++)
        {
            var f = first[r];
            if (f >= 0 && !dropped[r])
            {
                first[r] = f == r ? next++ : first[f];
            }
        }

        T("  assign");
        var keys = new UInt128[next];
        Parallel.For(0, Buckets, options, b =>
        {
            foreach (var (row, hash) in newKeys[b])
            {
                keys[first[row]] = hash;
            }
        });
        return (first, keys);
    }

    /// <summary>One bucket's keys: the first row of each, by open addressing on the hash's low bits.</summary>
    private sealed class BucketTable
    {
        private ulong[] _lo = [];
        private ulong[] _hi = [];
        private int[] _rows = [];
        private int _mask;

        /// <summary>Empties the table for <paramref name="count"/> keys, keeping its arrays when they are large enough.</summary>
        public void Reset(int count)
        {
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
            if (size > _lo.Length)
            {
                _lo = new ulong[size];
                _hi = new ulong[size];
                _rows = new int[size];
            }
            else
            {
                Array.Clear(_lo, 0, size);
                Array.Clear(_hi, 0, size);
            }

            _mask = size - 1;
        }

        /// <summary>The first row of the key, or -1 when new (and then <paramref name="row"/> is its first row).</summary>
        public int FirstRow(in KeyEntry e, int row)
        {
            var slot = (int)e.Lo & _mask;
            while (true)
            {
                var lo = _lo[slot];
                if (lo == e.Lo && _hi[slot] == e.Hi)
                {
                    return _rows[slot];
                }

                if (lo == 0 && _hi[slot] == 0)
                {
                    _lo[slot] = e.Lo;
                    _hi[slot] = e.Hi;
                    _rows[slot] = row;
                    return -1;
                }

                slot = (slot + 1) & _mask;
            }
        }
    }

    /// <summary>A part's names as global ids (per dimension), interned in the order one reader would meet them.</summary>
    private sealed record NameMaps(int[] Channels, int[] Sources, int[] Mediums, int[] Campaigns, int[] Conversions);

    /// <summary>
    /// The part's names as global ids, interned in part order as one reader would meet them: at the
    /// first kept row that uses each (with no row dropped, that is the part's own order).
    /// </summary>
    private static NameMaps MapNames(Part part, int offset, Dimensions names, bool[] dropped, out int droppedRows)
    {
        var kept = dropped.AsSpan(offset, part.Count);
        droppedRows = kept.Count(true);
        var all = droppedRows == 0;
        return new NameMaps(
            Map(part.Names.Channels, names.Channels, part.Channels.AsSpan(), kept, all),
            Map(part.Names.Sources, names.Sources, part.Sources.AsSpan(), kept, all),
            Map(part.Names.Mediums, names.Mediums, part.Mediums.AsSpan(), kept, all),
            Map(part.Names.Campaigns, names.Campaigns, part.Campaigns.AsSpan(), kept, all),
            Map(part.Names.ConversionNames, names.ConversionNames, part.Conversions.AsSpan(), kept, all));

        static int[] Map(Interner local, Interner global, ReadOnlySpan<int> ids, ReadOnlySpan<bool> droppedRow, bool all)
        {
            var map = new int[local.Count];
            if (all)
            {
                for (var j = 0; j < map.Length; j++)
                {
                    map[j] = global.Intern(local[j]);
                }

                return map;
            }

            Array.Fill(map, -1);
            for (var r = 0; r < ids.Length; r++)
            {
                var id = ids[r];
                if (id >= 0 && !droppedRow[r] && map[id] < 0)
                {
                    map[id] = global.Intern(local[id]);
                }
            }

            return map;
        }
    }

    /// <summary>The kept rows of every part, in part order, with global ids.</summary>
    private static EventTable Assemble(
        Part[] parts, int[] rowOffset, bool[] dropped, int[] droppedRows, int[] users, int[] anonymous, NameMaps[] maps, Dimensions names, ParallelOptions options)
    {
        var outOffset = new int[parts.Length + 1];
        for (var i = 0; i < parts.Length; i++)
        {
            outOffset[i + 1] = outOffset[i] + parts[i].Count - droppedRows[i];
        }

        var count = outOffset[^1];
        var timestamps = new long[count];
        var types = new EventType[count];
        var values = new double[count];
        var userIds = new int[count];
        var anonymousIds = new int[count];
        var conversions = new int[count];
        var channels = new int[count];
        var sources = new int[count];
        var mediums = new int[count];
        var campaigns = new int[count];
        Parallel.For(0, parts.Length, options, i =>
        {
            var part = parts[i];
            var map = maps[i];
            var offset = rowOffset[i];
            var o = outOffset[i];
            if (droppedRows[i] == 0)
            {
                part.Timestamps.AsSpan().CopyTo(timestamps.AsSpan(o));
                part.Types.AsSpan().CopyTo(types.AsSpan(o));
                part.Values.AsSpan().CopyTo(values.AsSpan(o));
                users.AsSpan(offset, part.Count).CopyTo(userIds.AsSpan(o));
                anonymous.AsSpan(offset, part.Count).CopyTo(anonymousIds.AsSpan(o));
                Remap(part.Conversions.AsSpan(), map.Conversions, conversions.AsSpan(o));
                Remap(part.Channels.AsSpan(), map.Channels, channels.AsSpan(o));
                Remap(part.Sources.AsSpan(), map.Sources, sources.AsSpan(o));
                Remap(part.Mediums.AsSpan(), map.Mediums, mediums.AsSpan(o));
                Remap(part.Campaigns.AsSpan(), map.Campaigns, campaigns.AsSpan(o));
            }
            else
            {
                for (var r = 0; r < part.Count; r++)
                {
                    if (dropped[offset + r])
                    {
                        continue;
                    }

                    timestamps[o] = part.Timestamps[r];
                    types[o] = part.Types[r];
                    values[o] = part.Values[r];
                    userIds[o] = users[offset + r];
                    anonymousIds[o] = anonymous[offset + r];
                    conversions[o] = Name(map.Conversions, part.Conversions[r]);
                    channels[o] = Name(map.Channels, part.Channels[r]);
                    sources[o] = Name(map.Sources, part.Sources[r]);
                    mediums[o] = Name(map.Mediums, part.Mediums[r]);
                    campaigns[o] = Name(map.Campaigns, part.Campaigns[r]);
                    o++;
                }
            }

            parts[i] = null!;
        });
        return new EventTable(count, timestamps, types, userIds, anonymousIds, channels, sources, mediums, campaigns, conversions, values, names);

        static int Name(int[] map, int id) => id < 0 ? -1 : map[id];

        static void Remap(ReadOnlySpan<int> ids, int[] map, Span<int> into)
        {
            for (var r = 0; r < ids.Length; r++)
            {
                var id = ids[r];
                into[r] = id < 0 ? -1 : map[id];
            }
        }
    }
}
