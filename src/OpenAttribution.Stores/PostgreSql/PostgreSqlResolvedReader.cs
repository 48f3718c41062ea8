using System.Data;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Stores.Snapshot;

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
        var (transaction, meta, names, sources, conversions) = Begin(connection, schema, grouping);
        using var disposeTransaction = transaction;
        var (count, people, _, baseRows) = meta;
        var delta = ReadDelta(connection, transaction, schema, people, sources.Length, conversions.Length);
        var table = ReadTable(connection, schema, count, baseRows, delta, names, sources, conversions, cancellationToken);
        transaction.Commit();
        return table;
    }

    /// <summary>
    /// Streams the snapshot's chunks, in order, through a <see cref="JourneyStream"/>: the journeys
    /// reach <paramref name="onBatch"/> in batches of whole people while the chunks arrive, and no column
    /// of every event is ever held.
    /// </summary>
    public static long ReadJourneys(
        NpgsqlConnection connection, PostgreSqlSchema schema, ChannelGrouping grouping, JourneyOptions options,
        Action<JourneySet> onBatch, int batchTouches, CancellationToken cancellationToken)
    {
        var (transaction, meta, names, sources, conversions) = Begin(connection, schema, grouping);
        using var disposeTransaction = transaction;
        var (count, people, reference, baseRows) = meta;
        var stream = new JourneyStream(names, sources, conversions, options, reference, onBatch, batchTouches);
        var delta = ReadDelta(connection, transaction, schema, people, sources.Length, conversions.Length);
        long read = 0;
        StreamRows(connection, schema, baseRows, delta, sources.Length, conversions.Length, (persons, times, kinds, sourceIds, conversionIds, values) =>
        {
            stream.Add(persons, times, MemoryMarshal.Cast<byte, EventType>(kinds), sourceIds, conversionIds, values);
            read += persons.Length;
        }, cancellationToken);
        if (read != count)
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot has {read:N0} rows where its meta says {count:N0}; run the report again.");
        }

        stream.Complete();
        transaction.Commit();
        return count;
    }

    /// <summary>
    /// The snapshot in parts (<see cref="IResolvedEventSource.ReadJourneyParts"/>), in one
    /// repeatable-read transaction, as the DuckDB store reads them: afresh, the current base (dead
    /// people left out) and every current delta person; from a mark of version <c>V</c>, each person an
    /// update after <c>V</c> re-resolved, as they were at <c>V</c> (from the indexed row-level copy of
    /// the base, or their delta rows current then) and as they are now.
    /// </summary>
    public static SnapshotMark ReadJourneyParts(
        NpgsqlConnection connection, PostgreSqlSchema schema, ChannelGrouping grouping, JourneyOptions options, SnapshotMark? since,
        Action<JourneyPart, JourneySet> onBatch, int batchTouches, CancellationToken cancellationToken)
    {
        var (transaction, meta, names, sources, conversions) = Begin(connection, schema, grouping);
        using var disposeTransaction = transaction;
        var (count, people, reference, baseRows) = meta;
        string build;
        long version, purged;
        using (var command = new NpgsqlCommand($"SELECT build, ver, purged FROM {schema.SnapshotMeta}", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (build, version, purged) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        var changed = SnapshotParts.Continues(since, build, version, purged) ? Changed(connection, transaction, schema, since!.Version) : null;

        // Rows of one query into a journey stream, a buffer at a time; returns how many.
        const int size = 4096;
        var (bufPersons, bufTimes, bufKinds, bufSources, bufConversions, bufValues) = (new int[size], new long[size], new EventType[size], new int[size], new int[size], new double[size]);
        long Stream(string sql, JourneyPart part, int[]? people)
        {
            var stream = new JourneyStream(names, sources, conversions, options, reference, batch => onBatch(part, batch), batchTouches);
            using var command = new NpgsqlCommand(sql, connection, transaction);
            if (people is not null)
            {
                command.Parameters.AddWithValue("people", people);
            }

            using var reader = command.ExecuteReader();
            long row = 0;
            var n = 0;
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                (bufKinds[n], bufSources[n], bufConversions[n]) = Decode(reader.GetInt32(2), row++, sources.Length, conversions.Length);
                (bufPersons[n], bufTimes[n], bufValues[n]) = (reader.GetInt32(0), reader.GetInt64(1), reader.GetDouble(3));
                if (++n == size)
                {
                    stream.Add(bufPersons, bufTimes, bufKinds, bufSources, bufConversions, bufValues);
                    n = 0;
                }
            }

            stream.Add(bufPersons.AsSpan(0, n), bufTimes.AsSpan(0, n), bufKinds.AsSpan(0, n), bufSources.AsSpan(0, n), bufConversions.AsSpan(0, n), bufValues.AsSpan(0, n));
            stream.Complete();
            return row;
        }

        var deltaRows = $"SELECT person, ts, tag, value FROM {schema.SnapshotDelta}";
        if (changed is null)
        {
            var stream = new JourneyStream(names, sources, conversions, options, reference, batch => onBatch(JourneyPart.Base, batch), batchTouches);
            long read = 0;
            StreamRows(connection, schema, baseRows, SnapshotDelta.DeadOnly(ReadDead(connection, transaction, schema), people), sources.Length, conversions.Length, (persons, times, kinds, sourceIds, conversionIds, values) =>
            {
                stream.Add(persons, times, MemoryMarshal.Cast<byte, EventType>(kinds), sourceIds, conversionIds, values);
                read += persons.Length;
            }, cancellationToken);
            stream.Complete();
            read += Stream($"{deltaRows} WHERE gone IS NULL ORDER BY person, ts, seq", JourneyPart.Added, null);
            if (read != count)
            {
                throw new InvalidDataException($"PostgreSQL store: the snapshot has {read:N0} rows where its meta says {count:N0}; run the report again.");
            }
        }
        else if (changed.Length > 0)
        {
            var v = since!.Version;
            Stream(
                $"""
                SELECT person, ts, tag, value FROM (
                    SELECT person, ts, seq, tag, value FROM {schema.SnapshotRows}
                    WHERE person = ANY(@people) AND person NOT IN (SELECT person FROM {schema.SnapshotDead} WHERE ver <= {v})
                    UNION ALL
                    SELECT person, ts, seq, tag, value FROM {schema.SnapshotDelta}
                    WHERE person = ANY(@people) AND ver <= {v} AND (gone IS NULL OR gone > {v})) r
                ORDER BY person, ts, seq
                """,
                JourneyPart.Removed,
                changed);
            Stream($"{deltaRows} WHERE person = ANY(@people) AND gone IS NULL ORDER BY person, ts, seq", JourneyPart.Added, changed);
        }

        transaction.Commit();
        return new SnapshotMark(build, version);
    }

    /// <summary>The people an update after <paramref name="version"/> re-resolved, ascending; null when too many to take one by one.</summary>
    private static int[]? Changed(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema, long version)
    {
        using var command = new NpgsqlCommand(
            $"SELECT DISTINCT person FROM {schema.SnapshotChanges} WHERE ver > {version} ORDER BY person LIMIT {SnapshotParts.MaxRemovedPeople + 1}", connection, transaction);
        using var reader = command.ExecuteReader();
        var people = new List<int>();
        while (reader.Read())
        {
            people.Add(reader.GetInt32(0));
        }

        return people.Count > SnapshotParts.MaxRemovedPeople ? null : [.. people];
    }

    /// <summary>
    /// Streams the snapshot's rows in person order: the base chunks as they are when there is no delta,
    /// else merged with the delta (<see cref="SnapshotMerge"/>), people then numbered afresh.
    /// </summary>
    private static void StreamRows(
        NpgsqlConnection connection, PostgreSqlSchema schema, int baseRows, SnapshotDelta delta, int sourceCount, int conversionCount,
        SnapshotRowsHandler onRows, CancellationToken cancellationToken)
    {
        var merge = delta.IsEmpty ? null : new SnapshotMerge(delta, onRows);
        const int size = PostgreSqlSnapshot.ChunkRows;
        var persons = new int[size];
        var times = new long[size];
        var tags = new int[size];
        var values = new double[size];
        var kinds = new byte[size];
        var sourceIds = new int[size];
        var conversionIds = new int[size];
        ForEachChunk(connection, schema, baseRows, (chunk, at, n, exporter) =>
        {
            ReadColumns(exporter, chunk, persons.AsSpan(0, n), times.AsSpan(0, n), tags.AsSpan(0, n), values.AsSpan(0, n));
            for (var i = 0; i < n; i++)
            {
                EventType type;
                (type, sourceIds[i], conversionIds[i]) = Decode(tags[i], at + i, sourceCount, conversionCount);
                kinds[i] = (byte)type;
            }

            if (merge is null)
            {
                onRows(persons.AsSpan(0, n), times.AsSpan(0, n), kinds.AsSpan(0, n), sourceIds.AsSpan(0, n), conversionIds.AsSpan(0, n), values.AsSpan(0, n));
            }
            else
            {
                merge.Add(persons.AsSpan(0, n), times.AsSpan(0, n), kinds.AsSpan(0, n), sourceIds.AsSpan(0, n), conversionIds.AsSpan(0, n), values.AsSpan(0, n));
            }
        }, cancellationToken);
        merge?.Complete();
    }

    /// <summary>Every row (through the merge when there is a delta) into one table, people numbered densely.</summary>
    private static EventTable ReadTable(
        NpgsqlConnection connection, PostgreSqlSchema schema, int count, int baseRows, SnapshotDelta delta, Dimensions names,
        (int Channel, int Source, int Medium, int Campaign)[] sources, int[] conversions, CancellationToken cancellationToken)
    {
        var times = new long[count];
        var types = new EventType[count];
        var persons = new int[count];
        var channels = new int[count];
        var sourceIds = new int[count];
        var mediums = new int[count];
        var campaigns = new int[count];
        var conversionIds = new int[count];
        var values = new double[count];
        var at = 0;
        var people = 0;
        var previous = -1;
        StreamRows(connection, schema, baseRows, delta, sources.Length, conversions.Length, (p, t, k, src, conv, v) =>
        {
            if (at + p.Length > count)
            {
                throw new InvalidDataException($"PostgreSQL store: the snapshot has more rows than its meta says ({count:N0}); run the report again.");
            }

            for (var i = 0; i < p.Length; i++, at++)
            {
                // The merge numbers people ascending but not densely; a table wants them dense.
                if (p[i] != previous)
                {
                    previous = p[i];
                    people++;
                }

                persons[at] = people - 1;
                times[at] = t[i];
                types[at] = (EventType)k[i];
                (channels[at], sourceIds[at], mediums[at], campaigns[at]) = src[i] < 0 ? (-1, -1, -1, -1) : sources[src[i]];
                conversionIds[at] = conv[i] < 0 ? -1 : conversions[conv[i]];
                values[at] = v[i];
            }
        }, cancellationToken);
        if (at != count)
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot has {at:N0} rows where its meta says {count:N0}; run the report again.");
        }

        SnapshotRows.CheckOrder(persons, times, 0, count, people, "PostgreSQL store");
        return EventTable.FromPeople(people, times, types, persons, channels, sourceIds, mediums, campaigns, conversionIds, values, names);
    }

    /// <summary>The base people an update re-resolved (their base rows are superseded).</summary>
    private static List<int> ReadDead(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema)
    {
        var dead = new List<int>();
        using var command = new NpgsqlCommand($"SELECT person FROM {schema.SnapshotDead}", connection, transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            dead.Add(reader.GetInt32(0));
        }

        return dead;
    }

    /// <summary>The base people an update re-resolved and the delta's rows in a full build's order (<see cref="SnapshotDelta"/>).</summary>
    private static SnapshotDelta ReadDelta(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema, int basePeople, int sourceCount, int conversionCount)
    {
        var dead = ReadDead(connection, transaction, schema);
        using var rows = new NpgsqlCommand(
            $"SELECT ins, person, ts, value, tag FROM {schema.SnapshotDelta} WHERE gone IS NULL ORDER BY ins, grp, first_seq, ts, seq", connection, transaction);
        using var rowReader = rows.ExecuteReader();
        var row = 0L;
        return SnapshotDelta.Read(dead, basePeople, rowReader, r =>
        {
            var (type, source, conversion) = Decode(r.GetInt32(4), row++, sourceCount, conversionCount);
            return ((byte)type, source, conversion);
        });
    }

    /// <summary>
    /// Starts the read: a repeatable-read transaction that first locks the snapshot tables (so a rebuild
    /// by another reader is seen whole or not at all), the meta, and the dictionaries, whose sources are
    /// classified with <paramref name="grouping"/>.
    /// </summary>
    private static (NpgsqlTransaction Transaction, (int Count, int People, long Reference, int BaseRows) Meta, Dimensions Names, (int, int, int, int)[] Sources, int[] Conversions) Begin(
        NpgsqlConnection connection, PostgreSqlSchema schema, ChannelGrouping grouping)
    {
        var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        try
        {
            PostgreSqlSchema.Execute(connection, transaction, $"""
                LOCK TABLE {schema.SnapshotMeta}, {schema.SnapshotSources}, {schema.SnapshotConversions}, {schema.SnapshotChunks} IN ACCESS SHARE MODE
                """);
            var meta = Meta(connection, transaction, schema);
            var names = new Dimensions();
            var sources = ReadSources(connection, transaction, schema, new TouchSourceResolver(grouping, names));
            var conversions = ReadConversions(connection, transaction, schema, names);
            return (transaction, meta, names, sources, conversions);
        }
        catch
        {
            transaction.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Hands over every chunk of the snapshot in order: its number, its first row, its row count and the
    /// exporter positioned on its four columns (<see cref="ReadColumns"/>); checks that the chunks cover
    /// the rows exactly once.
    /// </summary>
    private static void ForEachChunk(
        NpgsqlConnection connection, PostgreSqlSchema schema, int count, Action<int, int, int, NpgsqlBinaryExporter> onChunk, CancellationToken cancellationToken)
    {
        const int size = PostgreSqlSnapshot.ChunkRows;
        var chunks = (count + size - 1) / size;
        var next = 0;
        using (var exporter = connection.BeginBinaryExport($"COPY (SELECT chunk, n, person, ts, tag, value FROM {schema.SnapshotChunks} ORDER BY chunk) TO STDOUT (FORMAT BINARY)"))
        {
            exporter.Timeout = TimeSpan.Zero;
            using var cancel = cancellationToken.Register(static e => ((NpgsqlBinaryExporter)e!).Cancel(), exporter);
            try
            {
                while (exporter.StartRow() != -1)
                {
                    var chunk = exporter.Read<int>(NpgsqlDbType.Integer);
                    var n = exporter.Read<int>(NpgsqlDbType.Integer);
                    var expected = next == chunks - 1 ? count - next * size : size;
                    if (chunk != next || n != expected)
                    {
                        throw new InvalidDataException(
                            $"PostgreSQL store: the snapshot's chunk {chunk.ToString(CultureInfo.InvariantCulture)} ({n:N0} rows) came where chunk {next.ToString(CultureInfo.InvariantCulture)} of {expected:N0} rows was expected ({chunks:N0} chunks of {size:N0} for {count:N0} rows).");
                    }

                    onChunk(chunk, chunk * size, n, exporter);
                    next++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Stops the server sending the rest: disposing an export that is not cancelled reads
                // and drops every remaining row first. The failure to report is the first one.
                try
                {
                    exporter.Cancel();
                }
                catch (Exception cancelling) when (cancelling is NpgsqlException or InvalidOperationException or IOException)
                {
                }

                throw;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (next != chunks)
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot holds {next:N0} chunks, its meta says {chunks:N0}.");
        }
    }

    /// <summary>Copies a chunk's four columns (big-endian arrays) into the spans, which have its row count.</summary>
    private static void ReadColumns(NpgsqlBinaryExporter exporter, int chunk, Span<int> persons, Span<long> times, Span<int> tags, Span<double> values)
    {
        Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), persons, chunk);
        Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), times, chunk);
        Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), tags, chunk);
        Copy(exporter.Read<byte[]>(NpgsqlDbType.Bytea), MemoryMarshal.Cast<double, long>(values), chunk);
    }

    /// <summary>
    /// A row's type and snapshot ids from its tag: a source id (at least 0) for a touch, -1 for an
    /// identify, <c>-2 - id</c> for a conversion's name; -1 for the id a type does not have.
    /// </summary>
    private static (EventType Type, int Source, int Conversion) Decode(int tag, long row, int sources, int conversions) => tag switch
    {
        >= 0 when tag < sources => (EventType.Touch, tag, -1),
        -1 => (EventType.Identify, -1, -1),
        <= -2 when -2 - tag < conversions => (EventType.Conversion, -1, -2 - tag),
        _ => throw new InvalidDataException(
            $"PostgreSQL store: the snapshot's row {row:N0} has tag {tag.ToString(CultureInfo.InvariantCulture)}, outside its {sources:N0} sources and {conversions:N0} conversions."),
    };

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

    /// <summary>The snapshot's event and person counts and time-decay reference (the middle of its first and last touch).</summary>
    private static (int Count, int People, long Reference, int BaseRows) Meta(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema)
    {
        using var command = new NpgsqlCommand($"SELECT events, people, touch_min, touch_max, base_rows FROM {schema.SnapshotMeta}", connection, transaction);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidDataException($"PostgreSQL store: the snapshot of schema {schema.Name} is missing (emptied by a server restart?); read again to rebuild it.");
        }

        var count = reader.GetInt64(0);
        return count <= Array.MaxLength
            ? ((int)count, reader.GetInt32(1), JourneySet.TimeReferenceOf(reader.GetInt64(2), reader.GetInt64(3)), (int)reader.GetInt64(4))
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
