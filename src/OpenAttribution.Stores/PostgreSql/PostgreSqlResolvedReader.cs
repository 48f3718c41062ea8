using System.Collections;
using System.Data;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// Reads the resolved snapshot (<see cref="PostgreSqlSnapshot"/>) into an <see cref="EventTable"/>: the
/// few distinct normalised traffic sources are classified through the grouping, then the numeric
/// columns of every event arrive by binary COPY as chunks of big-endian arrays, each copied to its place.
/// Everything is read in one repeatable-read transaction that first locks the snapshot tables, so a
/// rebuild by another reader is seen whole or not at all.
/// </summary>
internal static class PostgreSqlResolvedReader
{
    public static EventTable Read(NpgsqlConnection connection, PostgreSqlSchema schema, ChannelGrouping grouping, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        PostgreSqlSchema.Execute(connection, transaction, $"""
            LOCK TABLE {schema.SnapshotMeta}, {schema.SnapshotSources}, {schema.SnapshotConversions}, {schema.SnapshotChunks} IN ACCESS SHARE MODE
            """);
        var (count, people, _) = Meta(connection, transaction, schema);
        var names = new Dimensions();
        var sources = ReadSources(connection, transaction, schema, new TouchSourceResolver(grouping, names));
        var conversions = ReadConversions(connection, transaction, schema, names);

        var times = new long[count];
        var types = new EventType[count];
        var persons = new int[count];
        var tags = new int[count];
        var channels = new int[count];
        var sourceIds = new int[count];
        var mediums = new int[count];
        var campaigns = new int[count];
        var conversionIds = new int[count];
        var values = new double[count];
        ReadChunks(connection, schema, count, persons, times, tags, values, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            Place(i, tags[i], sources, conversions, types, channels, sourceIds, mediums, campaigns, conversionIds);
        }

        SnapshotRows.CheckOrder(persons, times, 0, count, people, "PostgreSQL store");
        transaction.Commit();
        return EventTable.FromPeople(people, times, types, persons, channels, sourceIds, mediums, campaigns, conversionIds, values, names);
    }

    /// <summary>
    /// Streams the snapshot's chunks, in order, through a <see cref="JourneyStream"/>: the journeys
    /// reach <paramref name="onBatch"/> in batches of whole people while the chunks arrive, and no column
    /// of every event is ever held.
    /// </summary>
    public static long ReadJourneys(
        NpgsqlConnection connection, PostgreSqlSchema schema, ChannelGrouping grouping, JourneyOptions options,
        Action<JourneySet> onBatch, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        PostgreSqlSchema.Execute(connection, transaction, $"""
            LOCK TABLE {schema.SnapshotMeta}, {schema.SnapshotSources}, {schema.SnapshotConversions}, {schema.SnapshotChunks} IN ACCESS SHARE MODE
            """);
        var (count, _, reference) = Meta(connection, transaction, schema);
        var names = new Dimensions();
        var sources = ReadSources(connection, transaction, schema, new TouchSourceResolver(grouping, names));
        var conversions = ReadConversions(connection, transaction, schema, names);
        var stream = new JourneyStream(names, sources, conversions, options, reference, onBatch);

        const int size = PostgreSqlSnapshot.ChunkRows;
        var chunks = (count + size - 1) / size;
        var persons = new int[size];
        var times = new long[size];
        var tags = new int[size];
        var values = new double[size];
        var types = new EventType[size];
        var sourceIds = new int[size];
        var conversionIds = new int[size];
        var next = 0;
        using (var exporter = connection.BeginBinaryExport($"COPY (SELECT chunk, n, person, ts, tag, value FROM {schema.SnapshotChunks} ORDER BY chunk) TO STDOUT (FORMAT BINARY)"))
        {
            exporter.Timeout = TimeSpan.Zero;
            using var cancel = cancellationToken.Register(static e => ((NpgsqlBinaryExporter)e!).Cancel(), exporter);
            while (exporter.StartRow() != -1)
            {
                var chunk = exporter.Read<int>(NpgsqlDbType.Integer);
                var n = exporter.Read<int>(NpgsqlDbType.Integer);
                var expected = chunk == chunks - 1 ? count - chunk * size : size;
                if (chunk != next || n != expected)
                {
                    throw new InvalidDataException(
                        $"PostgreSQL store: the snapshot's chunk {chunk.ToString(CultureInfo.InvariantCulture)} ({n:N0} rows) came where chunk {next.ToString(CultureInfo.InvariantCulture)} of {expected:N0} rows was expected ({chunks:N0} chunks of {size:N0} for {count:N0} rows).");
                }

                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), persons.AsSpan(0, n), chunk);
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), times.AsSpan(0, n), chunk);
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), tags.AsSpan(0, n), chunk);
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), MemoryMarshal.Cast<double, long>(values.AsSpan(0, n)), chunk);
                for (var i = 0; i < n; i++)
                {
                    var tag = tags[i];
                    (types[i], sourceIds[i], conversionIds[i]) = tag switch
                    {
                        >= 0 when tag < sources.Length => (EventType.Touch, tag, -1),
                        -1 => (EventType.Identify, -1, -1),
                        <= -2 when -2 - tag < conversions.Length => (EventType.Conversion, -1, -2 - tag),
                        _ => throw new InvalidDataException(
                            $"PostgreSQL store: the snapshot's row {((long)chunk * size) + i:N0} has tag {tag.ToString(CultureInfo.InvariantCulture)}, outside its {sources.Length:N0} sources and {conversions.Length:N0} conversions."),
                    };
                }

                stream.Add(persons.AsSpan(0, n), times.AsSpan(0, n), types.AsSpan(0, n), sourceIds.AsSpan(0, n), conversionIds.AsSpan(0, n), values.AsSpan(0, n));
                next++;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (next != chunks)
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot holds {next:N0} chunks, its meta says {chunks:N0}.");
        }

        stream.Complete();
        transaction.Commit();
        return count;
    }

    /// <summary>
    /// Copies every chunk (big-endian arrays) into its place in the columns; checks that the chunks
    /// cover the rows exactly once.
    /// </summary>
    private static void ReadChunks(
        NpgsqlConnection connection, PostgreSqlSchema schema, int count,
        int[] persons, long[] times, int[] tags, double[] values, CancellationToken cancellationToken)
    {
        const int size = PostgreSqlSnapshot.ChunkRows;
        var chunks = (count + size - 1) / size;
        var seen = new BitArray(chunks);
        long read = 0;
        using (var exporter = connection.BeginBinaryExport($"COPY (SELECT chunk, n, person, ts, tag, value FROM {schema.SnapshotChunks}) TO STDOUT (FORMAT BINARY)"))
        {
            exporter.Timeout = TimeSpan.Zero;
            using var cancel = cancellationToken.Register(static e => ((NpgsqlBinaryExporter)e!).Cancel(), exporter);
            while (exporter.StartRow() != -1)
            {
                var chunk = exporter.Read<int>(NpgsqlDbType.Integer);
                var n = exporter.Read<int>(NpgsqlDbType.Integer);
                var expected = chunk == chunks - 1 ? count - chunk * size : size;
                if ((uint)chunk >= (uint)chunks || seen[chunk] || n != expected)
                {
                    throw new InvalidDataException(
                        $"PostgreSQL store: the snapshot's chunk {chunk.ToString(CultureInfo.InvariantCulture)} ({n:N0} rows) is out of range, repeated or of the wrong size ({chunks:N0} chunks of {size:N0} for {count:N0} rows).");
                }

                seen[chunk] = true;
                var at = chunk * size;
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), persons.AsSpan(at, n), chunk);
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), times.AsSpan(at, n), chunk);
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), tags.AsSpan(at, n), chunk);
                Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), MemoryMarshal.Cast<double, long>(values.AsSpan(at, n)), chunk);
                read += n;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (read != count)
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot holds {read:N0} rows, its meta says {count:N0}.");
        }
    }

    private static void Copy(byte[] bigEndian, Span<int> target, int chunk)
    {
        CheckLength(bigEndian, target.Length * sizeof(int), chunk);
        var source = MemoryMarshal.Cast<byte, int>(bigEndian);
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(source, target);
        }
        else
        {
            source.CopyTo(target);
        }
    }

    private static void Copy(byte[] bigEndian, Span<long> target, int chunk)
    {
        CheckLength(bigEndian, target.Length * sizeof(long), chunk);
        var source = MemoryMarshal.Cast<byte, long>(bigEndian);
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(source, target);
        }
        else
        {
            source.CopyTo(target);
        }
    }

    private static void CheckLength(byte[] bytes, int expected, int chunk)
    {
        if (bytes.Length != expected)
        {
            throw new InvalidDataException(
                $"PostgreSQL store: a column of the snapshot's chunk {chunk.ToString(CultureInfo.InvariantCulture)} holds {bytes.Length:N0} bytes, expected {expected:N0}.");
        }
    }

    private static void Place(
        int i, int tag, (int, int, int, int)[] sources, int[] conversions,
        EventType[] types, int[] channels, int[] sourceIds, int[] mediums, int[] campaigns, int[] conversionIds)
    {
        if (tag >= 0)
        {
            if (tag >= sources.Length)
            {
                throw new InvalidDataException($"PostgreSQL store: the snapshot's row {i:N0} names source {tag.ToString(CultureInfo.InvariantCulture)} of {sources.Length:N0}.");
            }

            types[i] = EventType.Touch;
            (channels[i], sourceIds[i], mediums[i], campaigns[i]) = sources[tag];
            conversionIds[i] = -1;
            return;
        }

        channels[i] = sourceIds[i] = mediums[i] = campaigns[i] = -1;
        if (tag == -1)
        {
            types[i] = EventType.Identify;
            conversionIds[i] = -1;
            return;
        }

        var conversion = -2 - tag;
        if (conversion >= conversions.Length)
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot's row {i:N0} names conversion {conversion.ToString(CultureInfo.InvariantCulture)} of {conversions.Length:N0}.");
        }

        types[i] = EventType.Conversion;
        conversionIds[i] = conversions[conversion];
    }

    /// <summary>The snapshot's event and person counts and time-decay reference (the middle of its first and last touch).</summary>
    private static (int Count, int People, long Reference) Meta(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema)
    {
        using var command = new NpgsqlCommand($"SELECT events, people, touch_min, touch_max FROM {schema.SnapshotMeta}", connection, transaction);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot of schema {schema.Name} is missing (emptied by a server restart?); read again to rebuild it.");
        }

        var count = reader.GetInt64(0);
        return count <= Array.MaxLength
            ? ((int)count, reader.GetInt32(1), reader.GetInt64(2) + ((reader.GetInt64(3) - reader.GetInt64(2)) / 2))
            : throw new InvalidDataException($"PostgreSQL store: {count:N0} events are more than one table holds.");
    }

    private static (int, int, int, int)[] ReadSources(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema, TouchSourceResolver resolver)
    {
        using var command = new NpgsqlCommand(
            $"SELECT id, channel, source, medium, campaign, content, term, referrer FROM {schema.SnapshotSources} ORDER BY id",
            connection, transaction);
        using var reader = command.ExecuteReader();
        return SnapshotRows.Sources(reader, resolver, "PostgreSQL store");
    }

    private static int[] ReadConversions(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema, Dimensions names)
    {
        using var command = new NpgsqlCommand($"SELECT id, conversion FROM {schema.SnapshotConversions} ORDER BY id", connection, transaction);
        using var reader = command.ExecuteReader();
        return SnapshotRows.Conversions(reader, names);
    }
}
