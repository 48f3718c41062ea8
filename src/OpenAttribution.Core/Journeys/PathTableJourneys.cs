using OpenAttribution.Core.Events;
using OpenAttribution.Core.Paths;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Journeys;

/// <summary>Converts between journeys and path tables (spec section 6).</summary>
public static class PathTableJourneys
{
    /// <summary>
    /// Journeys from a path table: one per row with conversions (standing for all of them), one
    /// null path per row with non-converting journeys. Channels only; no timestamps.
    /// </summary>
    public static JourneySet ToJourneys(PathTable table)
    {
        var names = new Dimensions();
        foreach (var channel in table.Channels)
        {
            names.Channels.Intern(channel);
        }

        var touches = table.ChannelIds;
        var start = new Column<int>();
        var length = new Column<int>();
        var counts = new Column<double>();
        var values = new Column<double>();
        var nullStart = new Column<int>();
        var nullLength = new Column<int>();
        var nullCounts = new Column<double>();
        for (var p = 0; p < table.Count; p++)
        {
            var s = table.Offsets[p];
            var n = table.Offsets[p + 1] - s;
            if (table.Conversions[p] > 0 || table.Values[p] != 0)
            {
                start.Add(s);
                length.Add(n);
                counts.Add(table.Conversions[p]);
                values.Add(table.Values[p]);
            }

            if (table.Nulls[p] > 0)
            {
                nullStart.Add(s);
                nullLength.Add(n);
                nullCounts.Add(table.Nulls[p]);
            }
        }

        return new JourneySet(
            names,
            hasTimestamps: false,
            new long[touches.Length],
            touches,
            [],
            [],
            [],
            start.ToArray(),
            length.ToArray(),
            new long[start.Count],
            counts.ToArray(),
            values.ToArray(),
            nullStart.ToArray(),
            nullLength.ToArray(),
            nullCounts.ToArray());
    }

    /// <summary>
    /// The path table of a journey set over one dimension: converting paths with their counts and
    /// values, null paths as non-converting journeys. A conversion with no touch is the path
    /// <c>(none)</c>, so totals add up.
    /// </summary>
    public static PathTable ToPathTable(JourneySet journeys, Dimension dimension = Dimension.Channel)
    {
        var (keys, names) = journeys.Dimension(dimension);
        var dictionary = new Interner();
        foreach (var name in names.Names)
        {
            dictionary.Intern(name);
        }

        var builder = new PathTableBuilder(dictionary);
        var none = -1;
        for (var j = 0; j < journeys.Conversions; j++)
        {
            if (journeys.Length[j] == 0)
            {
                if (none < 0)
                {
                    none = dictionary.Intern(JourneySet.NoneChannel);
                }

                builder.Add([none], journeys.Counts[j], journeys.Values[j], 0);
            }
            else
            {
                builder.Add(keys.AsSpan(journeys.Start[j], journeys.Length[j]), journeys.Counts[j], journeys.Values[j], 0);
            }
        }

        for (var n = 0; n < journeys.NullStart.Length; n++)
        {
            builder.Add(keys.AsSpan(journeys.NullStart[n], journeys.NullLength[n]), 0, 0, journeys.NullCounts[n]);
        }

        return builder.Build();
    }
}
