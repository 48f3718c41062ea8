namespace OpenAttribution.Core.Paths;

/// <summary>
/// Distinct channel paths with their totals: the interchange format of ChannelAttribution
/// (spec section 6) and the input of the data-driven models (spec section 5). Paths are stored
/// back to back (compressed rows): path <c>p</c> is <c>ChannelIds[Offsets[p]..Offsets[p + 1]]</c>.
/// </summary>
public sealed class PathTable
{
    internal PathTable(string[] channels, int[] offsets, int[] channelIds, double[] conversions, double[] values, double[] nulls)
    {
        Channels = channels;
        Offsets = offsets;
        ChannelIds = channelIds;
        Conversions = conversions;
        Values = values;
        Nulls = nulls;
    }

    /// <summary>Channel names; a channel's id is its index.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>Number of distinct paths.</summary>
    public int Count => Conversions.Length;

    internal int[] Offsets { get; }

    internal int[] ChannelIds { get; }

    /// <summary>Conversions of each path.</summary>
    public double[] Conversions { get; }

    /// <summary>Total conversion value of each path.</summary>
    public double[] Values { get; }

    /// <summary>Non-converting journeys with each path.</summary>
    public double[] Nulls { get; }

    public ReadOnlySpan<int> Path(int p) => ChannelIds.AsSpan(Offsets[p], Offsets[p + 1] - Offsets[p]);

    public double TotalConversions => Sum(Conversions);

    public double TotalValue => Sum(Values);

    public double TotalNulls => Sum(Nulls);

    public string PathText(int p) => string.Join(" > ", Path(p).ToArray().Select(c => Channels[c]));

    private static double Sum(double[] xs)
    {
        double s = 0;
        foreach (var x in xs)
        {
            s += x;
        }

        return s;
    }
}
