using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// Reads the resolved snapshot (<see cref="DuckDbSnapshot"/>) into an <see cref="EventTable"/>: the
/// few distinct traffic sources are resolved to channels through the grouping, then the numeric
/// columns of every event are copied vector by vector straight into the table's arrays.
/// </summary>
internal static class DuckDbResolvedReader
{
    private const string SelectEvents = "SELECT person, ts, kind, src, conv, value FROM snapshot_events";

    public static EventTable Read(DuckDBConnection connection, ChannelGrouping grouping, CancellationToken cancellationToken)
    {
        var people = People(connection);
        var names = new Dimensions();
        var resolver = new TouchSourceResolver(grouping, names);
        var sources = ReadSources(connection, resolver);
        var conversions = ReadConversions(connection, names);
        var count = Count(connection);

        var persons = new int[count];
        var times = new long[count];
        var kinds = new byte[count];
        var src = new int[count];
        var conv = new int[count];
        var values = new double[count];
        var read = Fill(connection, persons, times, kinds, src, conv, values, cancellationToken);
        if (read != count)
        {
            throw new InvalidDataException($"DuckDB store: the snapshot changed while it was read ({read:N0} rows, expected {count:N0}).");
        }

        var types = new EventType[count];
        var channels = new int[count];
        var sourceIds = new int[count];
        var mediums = new int[count];
        var campaigns = new int[count];
        var conversionIds = new int[count];
        var previousPerson = -1;
        var previousTime = long.MinValue;
        for (var i = 0; i < count; i++)
        {
            var p = persons[i];
            if (p < previousPerson || (p == previousPerson && times[i] < previousTime) || p >= people)
            {
                throw new InvalidDataException($"DuckDB store: the snapshot is not ordered by person and time at row {i + 1:N0}.");
            }

            previousPerson = p;
            previousTime = times[i];
            var type = (EventType)kinds[i];
            types[i] = type;
            if (type == EventType.Touch)
            {
                var (c, s, m, k) = sources[src[i]];
                channels[i] = c;
                sourceIds[i] = s;
                mediums[i] = m;
                campaigns[i] = k;
            }
            else
            {
                channels[i] = sourceIds[i] = mediums[i] = campaigns[i] = -1;
            }

            conversionIds[i] = type == EventType.Conversion ? conversions[conv[i]] : -1;
            if (type != EventType.Conversion)
            {
                values[i] = 0;
            }
        }

        return EventTable.FromPeople(people, times, types, persons, channels, sourceIds, mediums, campaigns, conversionIds, values, names);
    }

    private static (int, int, int, int)[] ReadSources(DuckDBConnection connection, TouchSourceResolver resolver)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, channel, source, medium, campaign, content, term, referrer FROM snapshot_sources ORDER BY id";
        using var reader = command.ExecuteReader();
        var resolved = new List<(int, int, int, int)>();
        while (reader.Read())
        {
            if (reader.GetInt32(0) != resolved.Count)
            {
                throw new InvalidDataException("DuckDB store: the snapshot's source ids are not dense.");
            }

            var traffic = new TrafficSource(Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6));
            resolved.Add(resolver.ResolveNormalized(Text(reader, 1), traffic, Text(reader, 7)));
        }

        return [.. resolved];
    }

    private static int[] ReadConversions(DuckDBConnection connection, Dimensions names)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, conversion FROM snapshot_conversions ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(names.ConversionNames.Intern(reader.GetString(1)));
        }

        return [.. ids];
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static int People(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT people FROM snapshot_meta";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Count(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM snapshot_events";
        var count = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return count <= Array.MaxLength ? (int)count : throw new InvalidDataException($"DuckDB store: {count:N0} events are more than one table holds.");
    }

    private static long Fill(DuckDBConnection connection, int[] persons, long[] times, byte[] kinds, int[] src, int[] conv, double[] values, CancellationToken cancellationToken)
    {
        var at = 0;
        DuckDbChunks.Stream(connection, SelectEvents, (chunk, size) =>
        {
            if (at + size > persons.Length)
            {
                throw new InvalidDataException("DuckDB store: the snapshot grew while it was read.");
            }

            Marshal.Copy(DuckDbChunks.Data(chunk, 0), persons, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 1), times, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 2), kinds, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 3), src, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 4), conv, at, size);
            Marshal.Copy(DuckDbChunks.Data(chunk, 5), values, at, size);
            at += size;
        }, cancellationToken);
        return at;
    }
}
