using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Stores.Snapshot;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// Reads the resolved snapshot (<see cref="DuckDbSnapshot"/>) into an <see cref="EventTable"/>: the
/// few distinct traffic sources are resolved to channels through the grouping, then the numeric
/// columns of every event are copied vector by vector straight into the table's arrays.
/// </summary>
internal static class DuckDbResolvedReader
{
    private const string Store = "DuckDB store";

    private const string SelectEvents = "SELECT person, ts, kind, src, conv, value FROM snapshot_events";

    /// <summary>The types of the snapshot rows' columns as every read selects them (person, ts, kind, src, conv, value).</summary>
    private static readonly DuckDBType[] RowTypes =
        [DuckDBType.Integer, DuckDBType.BigInt, DuckDBType.UnsignedTinyInt, DuckDBType.Integer, DuckDBType.Integer, DuckDBType.Double];

    /// <summary>
    /// Reads the snapshot as <paramref name="connection"/>'s transaction sees it. The people are read
    /// in two halves at once, the second on <paramref name="second"/> (a connection whose transaction
    /// sees the same snapshot): the table is ordered by person, so each half is a contiguous range of
    /// rows, and DuckDB skips the other half's row groups.
    /// </summary>
    public static EventTable Read(DuckDBConnection connection, DuckDBConnection second, ChannelGrouping grouping, CancellationToken cancellationToken)
    {
        var people = People(connection);
        var names = new Dimensions();
        var resolver = new TouchSourceResolver(grouping, names);
        var sources = ReadSources(connection, resolver);
        var conversions = ReadConversions(connection, names);
        var delta = ReadDelta(connection, people);
        if (!delta.IsEmpty)
        {
            return ReadMerged(connection, delta, names, sources, conversions, cancellationToken);
        }

        var count = Count(connection, people);
        if (Count(second, people) != count)
        {
            throw new InvalidDataException("DuckDB store: the snapshot changed while it was read; run the report again.");
        }

        var split = people / 2;
        var firstHalf = Count(connection, split);
        var table = new Columns(count);
        var halves = new[]
        {
            Task.Run(() => ReadRange(connection, $"person < {split}", table, 0, firstHalf, people, sources, conversions, cancellationToken), cancellationToken),
            Task.Run(() => ReadRange(second, $"person >= {split}", table, firstHalf, count, people, sources, conversions, cancellationToken), cancellationToken),
        };
        try
        {
            Task.WaitAll(halves, cancellationToken);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return EventTable.FromPeople(people, table.Times, table.Types, table.Persons, table.Channels, table.Sources, table.Mediums, table.Campaigns, table.Conversions, table.Values, names);
    }

    /// <summary>
    /// Streams the snapshot, as <paramref name="connection"/>'s transaction sees it, through a
    /// <see cref="JourneyStream"/>: the journeys reach <paramref name="onBatch"/> in batches of whole
    /// people while the rows are read, and no column of every event is ever held.
    /// </summary>
    public static long ReadJourneys(
        DuckDBConnection connection, ChannelGrouping grouping, JourneyOptions options, Action<JourneySet> onBatch, int batchTouches, CancellationToken cancellationToken)
    {
        var names = new Dimensions();
        var resolver = new TouchSourceResolver(grouping, names);
        var sources = ReadSources(connection, resolver);
        var conversions = ReadConversions(connection, names);
        var (events, reference) = Meta(connection);
        var stream = new JourneyStream(names, sources, conversions, options, reference, onBatch, batchTouches);
        long read = 0;
        StreamRows(connection, ReadDelta(connection, People(connection)), (persons, times, kinds, sourceIds, conversionIds, values) =>
        {
            stream.Add(persons, times, MemoryMarshal.Cast<byte, EventType>(kinds), sourceIds, conversionIds, values);
            read += persons.Length;
        }, cancellationToken);
        if (read != events)
        {
            throw new InvalidDataException($"{Store}: the snapshot has {read:N0} rows where its meta says {events:N0}; run the report again.");
        }

        stream.Complete();
        return read;
    }

    /// <summary>
    /// The snapshot in parts (<see cref="IResolvedEventSource.ReadJourneyParts"/>), as
    /// <paramref name="connection"/>'s transaction sees it. Afresh (no mark, or one of another build):
    /// the current base (dead people left out) as <see cref="JourneyPart.Base"/> and every current
    /// delta person as <see cref="JourneyPart.Added"/>. From a mark of version <c>V</c>: each person an
    /// update after <c>V</c> re-resolved (<c>snapshot_changes</c>), as they were at <c>V</c> (their base
    /// rows if no update up to <c>V</c> touched them, else their delta rows current then) as
    /// <see cref="JourneyPart.Removed"/>, and as they are now as <see cref="JourneyPart.Added"/>: work
    /// in proportion to what changed since the mark, not to the delta.
    /// </summary>
    public static SnapshotMark ReadJourneyParts(
        DuckDBConnection connection, ChannelGrouping grouping, JourneyOptions options, SnapshotMark? since,
        Action<JourneyPart, JourneySet> onBatch, int batchTouches, CancellationToken cancellationToken)
    {
        var names = new Dimensions();
        var resolver = new TouchSourceResolver(grouping, names);
        var sources = ReadSources(connection, resolver);
        var conversions = ReadConversions(connection, names);
        var (events, reference) = Meta(connection);
        var (build, version, purged) = Versions(connection);
        var changed = SnapshotParts.Continues(since, build, version, purged) ? Changed(connection, since!.Version) : null;
        long Stream(string sql, SnapshotDelta skip, JourneyPart part)
        {
            var stream = new JourneyStream(names, sources, conversions, options, reference, batch => onBatch(part, batch), batchTouches);
            long read = 0;
            StreamRows(connection, sql, skip, (persons, times, kinds, sourceIds, conversionIds, values) =>
            {
                stream.Add(persons, times, MemoryMarshal.Cast<byte, EventType>(kinds), sourceIds, conversionIds, values);
                read += persons.Length;
            }, cancellationToken);
            stream.Complete();
            return read;
        }

        const string DeltaRows = """
            SELECT d.person, d.ts, d.kind, d.src, d.conv, d.value
            FROM snapshot_delta d JOIN snapshot_current c ON c.person = d.person AND c.ver = d.ver
            """;
        if (changed is null)
        {
            var read = Stream(SelectEvents, SnapshotDelta.DeadOnly(ReadDead(connection), People(connection)), JourneyPart.Base)
                + Stream($"{DeltaRows} ORDER BY d.person, d.ts, d.seq", SnapshotDelta.None, JourneyPart.Added);
            if (read != events)
            {
                throw new InvalidDataException($"{Store}: the snapshot has {read:N0} rows where its meta says {events:N0}; run the report again.");
            }
        }
        else if (changed.Length > 0)
        {
            var list = string.Join(',', changed);
            var v = since!.Version;
            Stream(
                $"""
                WITH was AS (SELECT person, max(ver) AS ver FROM snapshot_changes WHERE person IN ({list}) AND ver <= {v} GROUP BY person)
                SELECT person, ts, kind, src, conv, value FROM (
                    SELECT person, ts, kind, src, conv, value, seq FROM snapshot_events
                    WHERE person IN ({list}) AND person NOT IN (SELECT person FROM was)
                    UNION ALL
                    SELECT d.person, d.ts, d.kind, d.src, d.conv, d.value, d.seq
                    FROM snapshot_delta d JOIN was ON was.person = d.person AND was.ver = d.ver
                    WHERE d.person IN ({list}))
                ORDER BY person, ts, seq
                """,
                SnapshotDelta.None,
                JourneyPart.Removed);
            Stream($"{DeltaRows} WHERE d.person IN ({list}) AND c.person IN ({list}) ORDER BY d.person, d.ts, d.seq", SnapshotDelta.None, JourneyPart.Added);
        }

        return new SnapshotMark(build, version);
    }

    /// <summary>The people an update after <paramref name="version"/> re-resolved, ascending; null when too many to take one by one.</summary>
    private static int[]? Changed(DuckDBConnection connection, long version)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT DISTINCT person FROM snapshot_changes WHERE ver > {version} ORDER BY person";
        using var reader = command.ExecuteReader();
        var people = new List<int>();
        while (reader.Read())
        {
            if (people.Count == SnapshotParts.MaxRemovedPeople)
            {
                return null;
            }

            people.Add(reader.GetInt32(0));
        }

        return [.. people];
    }

    /// <summary>
    /// Streams the snapshot's rows in person order: the base as DuckDB hands it over when there is no
    /// delta, else merged with the delta (<see cref="SnapshotMerge"/>), people then numbered afresh.
    /// </summary>
    private static void StreamRows(DuckDBConnection connection, SnapshotDelta delta, SnapshotRowsHandler onRows, CancellationToken cancellationToken) =>
        StreamRows(connection, SelectEvents, delta, onRows, cancellationToken);

    private static void StreamRows(DuckDBConnection connection, string sql, SnapshotDelta delta, SnapshotRowsHandler onRows, CancellationToken cancellationToken)
    {
        var merge = delta.IsEmpty ? null : new SnapshotMerge(delta, onRows);
        var size = DuckDbNative.VectorSize;
        var persons = new int[size];
        var times = new long[size];
        var kinds = new byte[size];
        var sourceIds = new int[size];
        var conversionIds = new int[size];
        var values = new double[size];
        DuckDbChunks.Stream(connection, sql, RowTypes, (chunk, rows) =>
        {
            if (rows > size)
            {
                throw new InvalidDataException($"{Store}: a chunk of {rows} rows is larger than DuckDB's vector size {size}.");
            }

            Marshal.Copy(DuckDbChunks.Data(chunk, 0), persons, 0, rows);
            Marshal.Copy(DuckDbChunks.Data(chunk, 1), times, 0, rows);
            Marshal.Copy(DuckDbChunks.Data(chunk, 2), kinds, 0, rows);
            Marshal.Copy(DuckDbChunks.Data(chunk, 3), sourceIds, 0, rows);
            Marshal.Copy(DuckDbChunks.Data(chunk, 4), conversionIds, 0, rows);
            Marshal.Copy(DuckDbChunks.Data(chunk, 5), values, 0, rows);
            if (merge is null)
            {
                onRows(persons.AsSpan(0, rows), times.AsSpan(0, rows), kinds.AsSpan(0, rows), sourceIds.AsSpan(0, rows), conversionIds.AsSpan(0, rows), values.AsSpan(0, rows));
            }
            else
            {
                merge.Add(persons.AsSpan(0, rows), times.AsSpan(0, rows), kinds.AsSpan(0, rows), sourceIds.AsSpan(0, rows), conversionIds.AsSpan(0, rows), values.AsSpan(0, rows));
            }
        }, cancellationToken);
        merge?.Complete();
    }

    /// <summary>Every row through the merge into one table (the whole-table read of a snapshot with a delta).</summary>
    private static EventTable ReadMerged(
        DuckDBConnection connection, SnapshotDelta delta, Dimensions names,
        (int Channel, int Source, int Medium, int Campaign)[] sources, int[] conversions, CancellationToken cancellationToken)
    {
        var (events, _) = Meta(connection);
        if (events > Array.MaxLength)
        {
            throw new InvalidDataException($"{Store}: {events:N0} events are more than one table holds.");
        }

        var t = new Columns((int)events);
        var at = 0;
        var people = 0;
        StreamRows(connection, delta, (persons, times, kinds, sourceIds, conversionIds, values) =>
        {
            if (at + persons.Length > t.Persons.Length)
            {
                throw new InvalidDataException($"{Store}: the snapshot has more rows than its meta says ({events:N0}); run the report again.");
            }

            persons.CopyTo(t.Persons.AsSpan(at));
            times.CopyTo(t.Times.AsSpan(at));
            kinds.CopyTo(t.Kinds.AsSpan(at));
            sourceIds.CopyTo(t.SourceIds.AsSpan(at));
            conversionIds.CopyTo(t.ConversionIds.AsSpan(at));
            values.CopyTo(t.Values.AsSpan(at));
            at += persons.Length;
        }, cancellationToken);
        if (at != t.Persons.Length)
        {
            throw new InvalidDataException($"{Store}: the snapshot has {at:N0} rows where its meta says {events:N0}; run the report again.");
        }

        // The merge numbers people ascending but not densely; a table wants them dense.
        var previous = -1;
        for (var i = 0; i < at; i++)
        {
            if (t.Persons[i] != previous)
            {
                previous = t.Persons[i];
                people++;
            }

            t.Persons[i] = people - 1;
        }

        Resolve(t, 0, at, sources, conversions);
        return EventTable.FromPeople(people, t.Times, t.Types, t.Persons, t.Channels, t.Sources, t.Mediums, t.Campaigns, t.Conversions, t.Values, names);
    }

    /// <summary>
    /// The base people an update re-resolved, and the delta's rows in the order of a full build (see
    /// <see cref="SnapshotDelta"/>); <see cref="SnapshotDelta.None"/> right after a full build.
    /// </summary>
    private static SnapshotDelta ReadDelta(DuckDBConnection connection, int basePeople)
    {
        var dead = ReadDead(connection);
        using var rows = connection.CreateCommand();
        rows.CommandText = """
            SELECT d.ins, d.person, d.ts, d.value, d.kind, d.src, d.conv
            FROM snapshot_delta d JOIN snapshot_current c ON c.person = d.person AND c.ver = d.ver
            ORDER BY d.ins, d.grp, d.first_seq, d.ts, d.seq
            """;
        using var rowReader = rows.ExecuteReader();
        return SnapshotDelta.Read(dead, basePeople, rowReader, r => (r.GetByte(4), r.GetInt32(5), r.GetInt32(6)));
    }

    /// <summary>The base people an update re-resolved (their base rows are superseded).</summary>
    private static List<int> ReadDead(DuckDBConnection connection)
    {
        var dead = new List<int>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT person FROM snapshot_dead";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            dead.Add(reader.GetInt32(0));
        }

        return dead;
    }

    /// <summary>The snapshot's event count and time-decay reference (the middle of its first and last touch).</summary>
    private static (long Events, long Reference) Meta(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT events, touch_min, touch_max FROM snapshot_meta";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidDataException($"{Store}: the snapshot has no meta row.");
        }

        return (reader.GetInt64(0), JourneySet.TimeReferenceOf(reader.GetInt64(1), reader.GetInt64(2)));
    }

    /// <summary>Copies rows <c>start .. end - 1</c> (those matching <paramref name="filter"/>) and maps their ids to names.</summary>
    private static void ReadRange(
        DuckDBConnection connection, string filter, Columns t, int start, int end, int people,
        (int Channel, int Source, int Medium, int Campaign)[] sources, int[] conversions, CancellationToken cancellationToken)
    {
        var read = Fill(connection, $"{SelectEvents} WHERE {filter}", t, start, end, cancellationToken);
        if (read != end)
        {
            throw new InvalidDataException($"DuckDB store: the snapshot changed while it was read ({read - start:N0} rows where {filter}, expected {end - start:N0}).");
        }

        SnapshotRows.CheckOrder(t.Persons, t.Times, start, end, people, Store);
        Resolve(t, start, end, sources, conversions);
    }

    /// <summary>Maps rows <c>start .. end - 1</c>'s source and conversion ids to interned names.</summary>
    private static void Resolve(Columns t, int start, int end, (int Channel, int Source, int Medium, int Campaign)[] sources, int[] conversions)
    {
        for (var i = start; i < end; i++)
        {
            var type = (EventType)t.Kinds[i];
            t.Types[i] = type;
            if (type == EventType.Touch)
            {
                var (c, s, m, k) = sources[t.SourceIds[i]];
                t.Channels[i] = c;
                t.Sources[i] = s;
                t.Mediums[i] = m;
                t.Campaigns[i] = k;
            }
            else
            {
                t.Channels[i] = t.Sources[i] = t.Mediums[i] = t.Campaigns[i] = -1;
            }

            t.Conversions[i] = type == EventType.Conversion ? conversions[t.ConversionIds[i]] : -1;
            if (type != EventType.Conversion)
            {
                t.Values[i] = 0;
            }
        }
    }

    private static (int, int, int, int)[] ReadSources(DuckDBConnection connection, TouchSourceResolver resolver)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, channel, source, medium, campaign, content, term, referrer FROM snapshot_sources ORDER BY id";
        using var reader = command.ExecuteReader();
        return SnapshotRows.Sources(reader, resolver, Store);
    }

    private static int[] ReadConversions(DuckDBConnection connection, Dimensions names)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, conversion FROM snapshot_conversions ORDER BY id";
        using var reader = command.ExecuteReader();
        return SnapshotRows.Conversions(reader, names);
    }

    /// <summary>The base's build (a new one for every full build), the last update's version, and the versions purged.</summary>
    private static (string Build, long Version, long Purged) Versions(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT build, ver, purged FROM snapshot_meta";
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2))
            : throw new InvalidDataException($"{Store}: the snapshot has no meta row.");
    }

    private static int People(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT people FROM snapshot_meta";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of people below <paramref name="people"/>.</summary>
    private static int Count(DuckDBConnection connection, int people)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM snapshot_events WHERE person < {people}";
        var count = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return count <= Array.MaxLength ? (int)count : throw new InvalidDataException($"DuckDB store: {count:N0} events are more than one table holds.");
    }

    private static long Fill(DuckDBConnection connection, string sql, Columns t, int start, int end, CancellationToken cancellationToken)
    {
        var at = start;
        DuckDbChunks.Stream(connection, sql, RowTypes, (chunk, size) =>
        {
            if (at + size > end)
            {
                throw new InvalidDataException("DuckDB store: the snapshot grew while it was read.");
            }

            Marshal.Copy(DuckDbChunks.Data(chunk, 0), t.Persons, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 1), t.Times, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 2), t.Kinds, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 3), t.SourceIds, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 4), t.ConversionIds, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 5), t.Values, at, size);
            at += size;
        }, cancellationToken);
        return at;
    }

    /// <summary>The columns read from the snapshot (ids) and those handed to the table (names).</summary>
    private sealed class Columns(int count)
    {
        public int[] Persons { get; } = new int[count];

        public long[] Times { get; } = new long[count];

        public byte[] Kinds { get; } = new byte[count];

        public int[] SourceIds { get; } = new int[count];

        public int[] ConversionIds { get; } = new int[count];

        public double[] Values { get; } = new double[count];

        public EventType[] Types { get; } = new EventType[count];

        public int[] Channels { get; } = new int[count];

        public int[] Sources { get; } = new int[count];

        public int[] Mediums { get; } = new int[count];

        public int[] Campaigns { get; } = new int[count];

        public int[] Conversions { get; } = new int[count];
    }
}
