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
    private const string Store = "DuckDB store";

    private const string SelectEvents = "SELECT person, ts, kind, src, conv, value FROM snapshot_events";

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
        DuckDbChunks.Stream(connection, sql, (chunk, size) =>
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
