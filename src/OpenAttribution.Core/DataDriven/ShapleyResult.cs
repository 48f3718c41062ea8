namespace OpenAttribution.Core.DataDriven;

/// <summary>The Shapley value attribution of a path table (spec section 5). Arrays are indexed by channel id.</summary>
public sealed class ShapleyResult
{
    internal ShapleyResult(IReadOnlyList<string> channels, double[] conversions, double[] values, int channelSets)
    {
        Channels = channels;
        Conversions = conversions;
        Values = values;
        ChannelSets = channelSets;
    }

    /// <summary>Channel names, in the order and with the ids of the path table.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>Conversions credited to each channel; they sum to the table's conversions.</summary>
    public double[] Conversions { get; }

    /// <summary>Value credited to each channel; it sums to the table's value.</summary>
    public double[] Values { get; }

    /// <summary>Number of distinct channel sets among the converting paths.</summary>
    public int ChannelSets { get; }
}
