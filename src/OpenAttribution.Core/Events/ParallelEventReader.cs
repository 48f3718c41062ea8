using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Reads a CSV or JSON Lines event file into an <see cref="EventTable"/> on every core. The result is
/// the table <see cref="EventTableBuilder"/> builds from <see cref="CsvEventReader"/> (or
/// <see cref="JsonLinesEventReader"/>), array for array: the same rows in the same order, the same ids,
/// the same rejections with the same line numbers.
/// </summary>
/// <remarks>
/// <para>
/// The text is cut into parts of about <c>partBytes</c> at line breaks, and the lines of each part are
/// counted. A part's rows are at most its lines, so each part owns a range of the table's columns from
/// the start, and its reader writes its rows there: no part keeps columns of its own to be copied.
/// </para>
/// <para>
/// Each part is read with a reader that starts at its first line and reads the records that start on
/// its lines. One that goes on past the part's end (a quoted field over line breaks) is read whole, and
/// the next part is read again from the line after it, so every record is read as one reader over the
/// whole text would read it.
/// </para>
/// <para>
/// A part resolves traffic sources and names into dictionaries of its own, and keeps the 128-bit hashes
/// of its event, user and anonymous ids in buckets by the hash's top bits. Then each bucket, over all
/// parts in row order, is one small table: the first row of an event id keeps it and later ones are
/// dropped; the first row of a user or anonymous id is found for every row. Ids are then given in row
/// order, the parts' names merged in part order, and the rows closed up where a part had fewer rows
/// than lines.
/// </para>
/// </remarks>
public static class ParallelEventReader
{
    /// <summary>The size of a part, in bytes.</summary>
    public const int DefaultPartBytes = 32 << 20;

    /// <summary>Key buckets: 64, so one bucket's table of 10M keys stays small.</summary>
    private const int BucketBits = 6;

    private const int Buckets = 1 << BucketBits;

    /// <summary>The events, the reader's counts, the rows dropped for a repeated <c>event_id</c>, and the rejections in line order.</summary>
    public sealed record Result(EventTable Events, ReadSummary Summary, long Duplicates, IReadOnlyList<InputError> Errors);

    /// <summary>
    /// Reads the CSV text (or, with <paramref name="jsonLines"/>, the JSON Lines text) of
    /// <paramref name="length"/> bytes that <paramref name="open"/> gives from any byte offset to its end
    /// (UTF-8, with or without a byte order mark; a text with a UTF-16 or UTF-32 one is read by one
    /// reader). <paramref name="onReject"/> sees every rejected row, in line order, once the parts are read.
    /// </summary>
    public static Result Read(
        long length,
        Func<long, Stream> open,
        bool jsonLines = false,
        ChannelGrouping? grouping = null,
        Action<InputError>? onReject = null,
        int partBytes = DefaultPartBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(partBytes, 1);
        Format? format = jsonLines ? new JsonLinesFormat() : null;
        if (!IsUtf8(open))
        {
            return ReadWhole(open, format ?? new CsvFormat(null), grouping, onReject);
        }

        if (format is null)
        {
            using var text = new StreamReader(open(0), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 12);
            if (CsvEventReader.ReadHeader(new CsvRecordReader(text)) is not { } header)
            {
                return new Result(new EventTableBuilder(grouping).Build(), new ReadSummary(0, 0, 0), 0, []);
            }

            format = new CsvFormat(header);
        }

        return Read(length, open, format, grouping ?? ChannelGrouping.Default, onReject, Parallelism.Options(cancellationToken), partBytes);
    }

    /// <summary>How the records of one format are read: by one reader over a whole text, or one part of it.</summary>
    private abstract class Format
    {
        /// <summary>Lines at the text's start that hold no row (a header).</summary>
        public abstract int HeaderLines { get; }

        public abstract ReadSummary ReadWhole(TextReader text, IEventSink sink);

        /// <summary>
        /// Reads the records that start on lines <paramref name="firstLine"/> (the text's first) to
        /// <paramref name="lastLine"/>; <paramref name="endLine"/> is the last line they took.
        /// </summary>
        public abstract ReadSummary ReadPart(TextReader text, bool atStart, long firstLine, long lastLine, IEventSink sink, out long endLine);
    }

    private sealed class CsvFormat(CsvEventReader.Header? header) : Format
    {
        public override int HeaderLines => 1;

        public override ReadSummary ReadWhole(TextReader text, IEventSink sink) => CsvEventReader.Read(text, sink);

        public override ReadSummary ReadPart(TextReader text, bool atStart, long firstLine, long lastLine, IEventSink sink, out long endLine)
        {
            var csv = new CsvRecordReader(text);
            if (atStart)
            {
                CsvEventReader.ReadHeader(csv);
            }
            else
            {
                csv.ExpectedFieldCount = header!.Columns.Length;
                csv.StartAtLine(firstLine);
            }

            return CsvEventReader.ReadRecords(csv, header!, sink, lastLine, out endLine);
        }
    }

    /// <summary>A JSON Lines record is one line: no record goes on into the next part.</summary>
    private sealed class JsonLinesFormat : Format
    {
        public override int HeaderLines => 0;

        public override ReadSummary ReadWhole(TextReader text, IEventSink sink) => JsonLinesEventReader.Read(text, sink);

        public override ReadSummary ReadPart(TextReader text, bool atStart, long firstLine, long lastLine, IEventSink sink, out long endLine)
        {
            endLine = 0;
            return JsonLinesEventReader.ReadLines(text, sink, firstLine, lastLine);
        }
    }

    private static Result Read(
        long length, Func<long, Stream> open, Format format, ChannelGrouping grouping, Action<InputError>? onReject, ParallelOptions options, int partBytes)
    {
        var starts = PartStarts(length, open, partBytes);
        var lines = new long[starts.Count];
        Unwrapped(() => Parallel.For(0, starts.Count, options, i => lines[i] = CountLines(open, starts, length, i)));

        // Part i starts on line firstLine[i], and its rows go to slots from firstSlot[i] on; a header
        // takes one of part 0's lines.
        var firstLine = new long[starts.Count + 1];
        var firstSlot = new long[starts.Count + 1];
        firstLine[0] = 1;
        for (var i = 0; i < starts.Count; i++)
        {
            firstLine[i + 1] = firstLine[i] + lines[i];
            firstSlot[i + 1] = firstSlot[i] + lines[i] - (i == 0 ? format.HeaderLines : 0);
        }

        var columns = new Columns(checked((int)Math.Max(0, firstSlot[^1])));
        var parts = new Part[starts.Count];
        Unwrapped(() => Parallel.For(0, parts.Length, options, i => parts[i] = ReadPart(open, format, grouping, starts, firstLine, firstSlot, columns, i, skipLines: 0)));
        Rechain(parts, open, format, grouping, starts, firstLine, firstSlot, columns);
        return Merge(parts, columns, onReject, options);
    }

    /// <summary>Runs parallel work; the one failure of its tasks is thrown as itself (an I/O error stays an <see cref="IOException"/>).</summary>
    private static void Unwrapped(Action work)
    {
        try
        {
            work();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>False for a text that opens with a UTF-16 or UTF-32 byte order mark: its line breaks are not single bytes.</summary>
    private static bool IsUtf8(Func<long, Stream> open)
    {
        using var stream = open(0);
        Span<byte> head = stackalloc byte[4];
        var n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        return n < 2
            || !((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) || (n == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0xFE && head[3] == 0xFF));
    }

    private static Result ReadWhole(Func<long, Stream> open, Format format, ChannelGrouping? grouping, Action<InputError>? onReject)
    {
        var builder = new EventTableBuilder(grouping, onReject);
        using var text = new StreamReader(open(0), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var summary = format.ReadWhole(text, builder);
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
            var at = nominal;
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

    /// <summary>The lines of part <paramref name="index"/>: its line breaks, and for the last part a last line without one.</summary>
    private static long CountLines(Func<long, Stream> open, List<long> starts, long length, int index)
    {
        var end = index + 1 < starts.Count ? starts[index + 1] : length;
        using var stream = open(starts[index]);
        var buffer = new byte[1 << 16];
        long lines = 0, left = end - starts[index];
        var last = (byte)'\n';
        while (left > 0)
        {
            var n = stream.Read(buffer.AsSpan(0, (int)Math.Min(buffer.Length, left)));
            if (n == 0)
            {
                break;
            }

            lines += buffer.AsSpan(0, n).Count((byte)'\n');
            last = buffer[n - 1];
            left -= n;
        }

        return index + 1 == starts.Count && last != '\n' ? lines + 1 : lines;
    }

    /// <summary>The table's columns, one slot per line of the text; names and ids are a part's own until the merge.</summary>
    private sealed class Columns(int slots)
    {
        public long[] Timestamps { get; } = new long[slots];

        public EventType[] Types { get; } = new EventType[slots];

        public double[] Values { get; } = new double[slots];

        public int[] Conversions { get; } = new int[slots];

        public int[] Channels { get; } = new int[slots];

        public int[] Sources { get; } = new int[slots];

        public int[] Mediums { get; } = new int[slots];

        public int[] Campaigns { get; } = new int[slots];

        public int Slots => Timestamps.Length;
    }

    /// <summary>One part as its reader saw it.</summary>
    private sealed class Part(int firstSlot, int capacity)
    {
        public int FirstSlot { get; } = firstSlot;

        public int Capacity { get; } = capacity;

        public Dimensions Names { get; } = new();

        public KeyBuckets EventIds { get; } = new(capacity);

        public KeyBuckets Users { get; } = new(capacity);

        public KeyBuckets AnonymousIds { get; } = new(capacity);

        public List<InputError> Errors { get; } = [];

        public ReadSummary Summary { get; set; } = new(0, 0, 0);

        /// <summary>The last line its records took (0: none).</summary>
        public long EndLine { get; set; }

        public int Count { get; set; }
    }

    /// <summary>One row's hashed id: the hash and the row's slot.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly struct KeyEntry(UInt128 hash, int slot)
    {
        public readonly ulong Lo = (ulong)hash;
        public readonly ulong Hi = (ulong)(hash >> 64);
        public readonly int Slot = slot;

        public UInt128 Hash => new(Hi, Lo);
    }

    /// <summary>A part's hashed ids of one kind, by bucket, each bucket in row order.</summary>
    private sealed class KeyBuckets
    {
        public KeyBuckets(int capacity)
        {
            var each = Math.Max(16, capacity / Buckets * 9 / 8);
            Parts = new Column<KeyEntry>[Buckets];
            for (var b = 0; b < Buckets; b++)
            {
                Parts[b] = new Column<KeyEntry>(each);
            }
        }

        public Column<KeyEntry>[] Parts { get; }

        public void Add(ReadOnlySpan<char> id, int slot)
        {
            var hash = HashedIds.Hash(id);
            Parts[(int)((ulong)(hash >> 64) >> (64 - BucketBits))].Add(new KeyEntry(hash, slot));
        }
    }

    /// <summary>The sink of one part: its rows into its slots, with its own names, and its ids' hashes.</summary>
    private sealed class PartSink(Part part, Columns columns, ChannelGrouping grouping) : IEventSink
    {
        private readonly TrafficSourceCache _traffic = new(grouping, part.Names);

        public void Reject(InputError error) => part.Errors.Add(error);

        public void Accept(in EventRow row)
        {
            if (part.Count == part.Capacity)
            {
                throw new InvalidOperationException("a part has more rows than lines");
            }

            var slot = part.FirstSlot + part.Count++;
            if (!row.EventId.IsEmpty)
            {
                part.EventIds.Add(row.EventId, slot);
            }

            if (!row.UserId.IsEmpty)
            {
                part.Users.Add(row.UserId, slot);
            }

            if (!row.AnonymousId.IsEmpty)
            {
                part.AnonymousIds.Add(row.AnonymousId, slot);
            }

            columns.Timestamps[slot] = row.TimestampTicks;
            columns.Types[slot] = row.Type;
            columns.Values[slot] = row.Type == EventType.Conversion ? row.Value : 0;
            columns.Conversions[slot] = row.Type == EventType.Conversion ? part.Names.ConversionNames.Intern(row.Conversion) : -1;
            var (channel, source, medium, campaign) = row.Type == EventType.Touch ? _traffic.Resolve(row) : (-1, -1, -1, -1);
            columns.Channels[slot] = channel;
            columns.Sources[slot] = source;
            columns.Mediums[slot] = medium;
            columns.Campaigns[slot] = campaign;
        }
    }

    /// <summary>Reads part <paramref name="index"/>, from the line after its first <paramref name="skipLines"/> lines.</summary>
    private static Part ReadPart(
        Func<long, Stream> open, Format format, ChannelGrouping grouping, List<long> starts, long[] firstLine, long[] firstSlot, Columns columns, int index, long skipLines)
    {
        // The last part too ends at its counted lines: rows appended to the file since it was measured are not read.
        var last = firstLine[index + 1] - 1;
        var part = new Part((int)firstSlot[index], (int)(firstSlot[index + 1] - firstSlot[index]));
        using var stream = open(starts[index]);
        if (skipLines > 0)
        {
            Skip(stream, skipLines);
        }

        using var text = index == 0
            ? new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16)
            : new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false, 1 << 16);
        part.Summary = format.ReadPart(text, index == 0 && skipLines == 0, firstLine[index] + skipLines, last, new PartSink(part, columns, grouping), out var endLine);
        part.EndLine = endLine;
        return part;
    }

    /// <summary>Moves a seekable stream past its first <paramref name="lines"/> line breaks.</summary>
    private static void Skip(Stream stream, long lines)
    {
        var buffer = new byte[1 << 16];
        while (lines > 0)
        {
            var n = stream.Read(buffer);
            if (n == 0)
            {
                return;
            }

            var at = 0;
            while (lines > 0 && at < n)
            {
                var next = buffer.AsSpan(at, n - at).IndexOf((byte)'\n');
                if (next < 0)
                {
                    at = n;
                    break;
                }

                at += next + 1;
                lines--;
            }

            if (lines == 0 && at < n)
            {
                stream.Seek(at - n, SeekOrigin.Current);
            }
        }
    }

    /// <summary>
    /// Where a part's last record went on into the next part, reads that part again from the line after
    /// it (a part it took whole is left empty); in part order, so each part starts where one reader of
    /// the whole text would be.
    /// </summary>
    private static void Rechain(
        Part[] parts, Func<long, Stream> open, Format format, ChannelGrouping grouping, List<long> starts, long[] firstLine, long[] firstSlot, Columns columns)
    {
        var consumed = parts[0].EndLine;
        for (var i = 1; i < parts.Length; i++)
        {
            if (consumed >= firstLine[i])
            {
                var skip = consumed - firstLine[i] + 1;
                parts[i] = skip >= firstLine[i + 1] - firstLine[i] && i + 1 < parts.Length
                    ? new Part((int)firstSlot[i], (int)(firstSlot[i + 1] - firstSlot[i]))
                    : ReadPart(open, format, grouping, starts, firstLine, firstSlot, columns, i, skip);
            }

            consumed = Math.Max(consumed, parts[i].EndLine);
        }
    }

    private static Result Merge(Part[] parts, Columns columns, Action<InputError>? onReject, ParallelOptions options)
    {
        var errors = new List<InputError>();
        long rows = 0, valid = 0;
        foreach (var part in parts)
        {
            foreach (var error in part.Errors)
            {
                errors.Add(error);
                onReject?.Invoke(error);
            }

            rows += part.Summary.Rows;
            valid += part.Summary.Valid;
        }

        // A slot no row took (a part with fewer rows than lines) is dropped as a duplicate is.
        var dropped = new bool[columns.Slots];
        var holes = false;
        foreach (var part in parts)
        {
            dropped.AsSpan(part.FirstSlot + part.Count, part.Capacity - part.Count).Fill(true);
            holes |= part.Count < part.Capacity;
        }

        var duplicates = Deduplicate(parts, dropped, options);
        (int[] Ids, UInt128[] Keys) users = ([], []), anonymous = ([], []);
        Parallel.Invoke(
            options,
            () => users = FirstRows(parts, p => p.Users, dropped, options),
            () => anonymous = FirstRows(parts, p => p.AnonymousIds, dropped, options));
        var names = new Dimensions(HashedIds.FromKeys(users.Keys), HashedIds.FromKeys(anonymous.Keys));
        var maps = new NameMaps[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            maps[i] = MapNames(parts[i], columns, names, dropped);
        }

        Parallel.For(0, parts.Length, options, i => Remap(parts[i], maps[i], columns));
        var table = duplicates == 0 && !holes
            ? Table(columns, users.Ids, anonymous.Ids, columns.Slots, names)
            : CloseUp(columns, users.Ids, anonymous.Ids, dropped, names);
        return new Result(table, new ReadSummary(rows, valid, rows - valid), duplicates, errors);
    }

    /// <summary>Marks every row whose event id an earlier row had; the count of them.</summary>
    private static long Deduplicate(Part[] parts, bool[] dropped, ParallelOptions options)
    {
        long duplicates = 0;
        Parallel.For(0, Buckets, options, () => (Count: 0L, Table: new BucketTable()), (b, _, local) =>
        {
            local.Table.Reset(parts.Sum(p => p.EventIds.Parts[b].Count));
            foreach (var part in parts)
            {
                foreach (var e in part.EventIds.Parts[b].AsSpan())
                {
                    if (local.Table.FirstRow(e) >= 0)
                    {
                        dropped[e.Slot] = true;
                        local.Count++;
                    }
                }
            }

            return local;
        }, local => Interlocked.Add(ref duplicates, local.Count));
        return duplicates;
    }

    /// <summary>
    /// The id of every kept row's user (or anonymous) id by slot, -1 for none, ids given in the order of
    /// their first rows; and the hashes by id.
    /// </summary>
    private static (int[] Ids, UInt128[] Keys) FirstRows(Part[] parts, Func<Part, KeyBuckets> kind, bool[] dropped, ParallelOptions options)
    {
        var first = new int[dropped.Length];
        Array.Fill(first, -1);
        var newKeys = new List<(int Slot, UInt128 Hash)>[Buckets];
        Parallel.For(0, Buckets, options, () => new BucketTable(), (b, _, table) =>
        {
            table.Reset(parts.Sum(p => kind(p).Parts[b].Count));
            var found = new List<(int Slot, UInt128 Hash)>();
            foreach (var part in parts)
            {
                foreach (var e in kind(part).Parts[b].AsSpan())
                {
                    if (dropped[e.Slot])
                    {
                        continue;
                    }

                    var earlier = table.FirstRow(e);
                    if (earlier < 0)
                    {
                        found.Add((e.Slot, e.Hash));
                        first[e.Slot] = e.Slot;
                    }
                    else
                    {
                        first[e.Slot] = earlier;
                    }
                }
            }

            newKeys[b] = found;
            return table;
        }, _ => { });

        // In row order: a first row takes the next id; a later row the id its first row took.
        var next = 0;
        for (var r = 0; r < first.Length; r++)
        {
            var f = first[r];
            if (f >= 0)
            {
                first[r] = f == r ? next++ : first[f];
            }
        }

        var keys = new UInt128[next];
        Parallel.For(0, Buckets, options, b =>
        {
            foreach (var (slot, hash) in newKeys[b])
            {
                keys[first[slot]] = hash;
            }
        });
        return (first, keys);
    }

    /// <summary>One bucket's keys: the first row of each, by open addressing on the hash's low bits (one entry, one cache line).</summary>
    private sealed class BucketTable
    {
        private KeyEntry[] _entries = [];
        private int _mask;

        /// <summary>Empties the table for <paramref name="count"/> keys, keeping its array when it is large enough.</summary>
        public void Reset(int count)
        {
            var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
            if (size > _entries.Length)
            {
                _entries = new KeyEntry[size];
            }
            else
            {
                Array.Clear(_entries, 0, size);
            }

            _mask = size - 1;
        }

        /// <summary>The slot of the key's first row, or -1 when new (and then this row is its first).</summary>
        public int FirstRow(in KeyEntry e)
        {
            var slot = (int)e.Lo & _mask;
            while (true)
            {
                ref var entry = ref _entries[slot];
                if (entry.Lo == e.Lo && entry.Hi == e.Hi)
                {
                    return entry.Slot;
                }

                if (entry.Lo == 0 && entry.Hi == 0)
                {
                    entry = e;
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
    private static NameMaps MapNames(Part part, Columns columns, Dimensions names, bool[] dropped)
    {
        var (from, count) = (part.FirstSlot, part.Count);
        var droppedRows = dropped.AsSpan(from, count);
        var all = !droppedRows.Contains(true);
        return new NameMaps(
            Map(part.Names.Channels, names.Channels, columns.Channels.AsSpan(from, count), droppedRows, all),
            Map(part.Names.Sources, names.Sources, columns.Sources.AsSpan(from, count), droppedRows, all),
            Map(part.Names.Mediums, names.Mediums, columns.Mediums.AsSpan(from, count), droppedRows, all),
            Map(part.Names.Campaigns, names.Campaigns, columns.Campaigns.AsSpan(from, count), droppedRows, all),
            Map(part.Names.ConversionNames, names.ConversionNames, columns.Conversions.AsSpan(from, count), droppedRows, all));

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

    /// <summary>Turns a part's own name ids into the table's.</summary>
    private static void Remap(Part part, NameMaps maps, Columns columns)
    {
        Apply(columns.Conversions.AsSpan(part.FirstSlot, part.Count), maps.Conversions);
        Apply(columns.Channels.AsSpan(part.FirstSlot, part.Count), maps.Channels);
        Apply(columns.Sources.AsSpan(part.FirstSlot, part.Count), maps.Sources);
        Apply(columns.Mediums.AsSpan(part.FirstSlot, part.Count), maps.Mediums);
        Apply(columns.Campaigns.AsSpan(part.FirstSlot, part.Count), maps.Campaigns);

        static void Apply(Span<int> ids, int[] map)
        {
            for (var r = 0; r < ids.Length; r++)
            {
                var id = ids[r];
                ids[r] = id < 0 ? -1 : map[id];
            }
        }
    }

    private static EventTable Table(Columns c, int[] users, int[] anonymous, int count, Dimensions names) =>
        new(count, c.Timestamps, c.Types, users, anonymous, c.Channels, c.Sources, c.Mediums, c.Campaigns, c.Conversions, c.Values, names);

    /// <summary>Moves the kept rows together, in order, and cuts the columns to their count.</summary>
    private static EventTable CloseUp(Columns c, int[] users, int[] anonymous, bool[] dropped, Dimensions names)
    {
        var o = 0;
        for (var r = 0; r < dropped.Length; r++)
        {
            if (dropped[r])
            {
                continue;
            }

            if (o != r)
            {
                c.Timestamps[o] = c.Timestamps[r];
                c.Types[o] = c.Types[r];
                c.Values[o] = c.Values[r];
                c.Conversions[o] = c.Conversions[r];
                c.Channels[o] = c.Channels[r];
                c.Sources[o] = c.Sources[r];
                c.Mediums[o] = c.Mediums[r];
                c.Campaigns[o] = c.Campaigns[r];
                users[o] = users[r];
                anonymous[o] = anonymous[r];
            }

            o++;
        }

        return new EventTable(
            o, c.Timestamps[..o], c.Types[..o], users[..o], anonymous[..o], c.Channels[..o], c.Sources[..o], c.Mediums[..o], c.Campaigns[..o], c.Conversions[..o], c.Values[..o], names);
    }
}
