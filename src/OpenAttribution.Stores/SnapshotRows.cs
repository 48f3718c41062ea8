using System.Data.Common;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores;

/// <summary>What the resolved snapshots of every store read alike: their dictionaries and their order.</summary>
internal static class SnapshotRows
{
    /// <summary>A nullable text column.</summary>
    public static string? Text(this DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>
    /// Classifies the normalised sources (rows <c>id, channel, source, medium, campaign, content, term,
    /// referrer</c> by id) with the report's grouping; a source's interned names are at its id.
    /// </summary>
    public static (int Channel, int Source, int Medium, int Campaign)[] Sources(DbDataReader reader, TouchSourceResolver resolver, string store)
    {
        var resolved = new List<(int, int, int, int)>();
        while (reader.Read())
        {
            if (reader.GetInt32(0) != resolved.Count)
            {
                throw new InvalidDataException($"{store}: the snapshot's source ids are not dense.");
            }

            var traffic = new TrafficSource(reader.Text(2), reader.Text(3), reader.Text(4), reader.Text(5), reader.Text(6));
            resolved.Add(resolver.ResolveNormalized(reader.Text(1), traffic, reader.Text(7)));
        }

        return [.. resolved];
    }

    /// <summary>Interns the conversion names (rows <c>id, conversion</c> by id); a name's interned id is at its id.</summary>
    public static int[] Conversions(DbDataReader reader, Dimensions names)
    {
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(names.ConversionNames.Intern(reader.GetString(1)));
        }

        return [.. ids];
    }

    /// <summary>Throws unless rows <c>start .. end - 1</c> are ordered by person, then time, with people below <paramref name="people"/>.</summary>
    public static void CheckOrder(int[] persons, long[] times, int start, int end, int people, string store)
    {
        var previousPerson = -1;
        var previousTime = long.MinValue;
        for (var i = start; i < end; i++)
        {
            var p = persons[i];
            if (p < previousPerson || (p == previousPerson && times[i] < previousTime) || p >= people)
            {
                throw new InvalidDataException($"{store}: the snapshot is not ordered by person and time at row {i + 1:N0}.");
            }

            previousPerson = p;
            previousTime = times[i];
        }
    }
}
