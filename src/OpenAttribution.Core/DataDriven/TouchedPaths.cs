using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// A path table split for the data-driven models (spec section 2): <c>(none)</c> stands for "no
/// touch", so it is never a state of the Markov chain nor a player of the Shapley game. It is taken
/// out of every path; a converting path left empty (a conversion with no touch in its window, which
/// journeys and path-table readers write as the one-step path <c>(none)</c>) is credited whole to
/// <c>(none)</c>, whatever the model, and the channels share the rest. A non-converting path left
/// empty takes no transition of any channel and is dropped.
/// </summary>
internal sealed class TouchedPaths
{
    private TouchedPaths(PathTable table, int noneId, double noneConversions, double noneValue)
    {
        Table = table;
        NoneId = noneId;
        NoneConversions = noneConversions;
        NoneValue = noneValue;
    }

    /// <summary>The paths with at least one touch, <c>(none)</c> removed; same channel ids as the input.</summary>
    public PathTable Table { get; }

    /// <summary>The id of <c>(none)</c> in the channel list, or -1 when the table has no such channel.</summary>
    public int NoneId { get; }

    public double NoneConversions { get; }

    public double NoneValue { get; }

    public static TouchedPaths Split(PathTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var none = -1;
        for (var c = 0; c < table.Channels.Count; c++)
        {
            if (table.Channels[c] == JourneySet.NoneChannel)
            {
                none = c;
                break;
            }
        }

        if (none < 0)
        {
            return new TouchedPaths(table, -1, 0, 0);
        }

        var offsets = new List<int>(table.Count + 1) { 0 };
        var ids = new List<int>(table.ChannelIds.Length);
        var conversions = new List<double>(table.Count);
        var values = new List<double>(table.Count);
        var nulls = new List<double>(table.Count);
        double noneConversions = 0, noneValue = 0;
        for (var p = 0; p < table.Count; p++)
        {
            var start = ids.Count;
            foreach (var c in table.Path(p))
            {
                if (c != none)
                {
                    ids.Add(c);
                }
            }

            if (ids.Count == start)
            {
                noneConversions += table.Conversions[p];
                noneValue += table.Values[p];
                continue;
            }

            offsets.Add(ids.Count);
            conversions.Add(table.Conversions[p]);
            values.Add(table.Values[p]);
            nulls.Add(table.Nulls[p]);
        }

        var touched = new PathTable([.. table.Channels], [.. offsets], [.. ids], [.. conversions], [.. values], [.. nulls]);
        return new TouchedPaths(touched, none, noneConversions, noneValue);
    }

    /// <summary>Credits per channel for the whole table: the channels' shares plus <c>(none)</c>'s own total.</summary>
    public double[] WithNone(double[] channelCredits, double noneTotal)
    {
        if (NoneId >= 0)
        {
            channelCredits[NoneId] += noneTotal;
        }

        return channelCredits;
    }
}
