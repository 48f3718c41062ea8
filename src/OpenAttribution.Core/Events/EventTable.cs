using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Accepted events held column by column, in input order, strings interned to small integers.
/// Touches carry their resolved channel, source, medium and campaign; -1 means absent.
/// </summary>
public sealed class EventTable
{
    internal EventTable(
        int count,
        long[] timestamps,
        EventType[] types,
        int[] users,
        int[] anonymous,
        int[] channels,
        int[] sources,
        int[] mediums,
        int[] campaigns,
        int[] conversions,
        double[] values,
        Dimensions names)
    {
        Count = count;
        Timestamps = timestamps;
        Types = types;
        Users = users;
        Anonymous = anonymous;
        Channels = channels;
        Sources = sources;
        Mediums = mediums;
        Campaigns = campaigns;
        Conversions = conversions;
        Values = values;
        Names = names;
    }

    public int Count { get; }

    /// <summary>UTC ticks.</summary>
    public long[] Timestamps { get; }

    public EventType[] Types { get; }

    /// <summary>Index into <see cref="Dimensions.Users"/>, or -1.</summary>
    public int[] Users { get; }

    /// <summary>Index into <see cref="Dimensions.AnonymousIds"/>, or -1.</summary>
    public int[] Anonymous { get; }

    public int[] Channels { get; }

    public int[] Sources { get; }

    public int[] Mediums { get; }

    public int[] Campaigns { get; }

    /// <summary>Index into <see cref="Dimensions.ConversionNames"/>, or -1.</summary>
    public int[] Conversions { get; }

    public double[] Values { get; }

    public Dimensions Names { get; }
}

/// <summary>The dictionaries behind the interned columns.</summary>
public sealed class Dimensions
{
    /// <summary>Known people, by the hash of their user id.</summary>
    public HashedIds Users { get; } = new();

    /// <summary>Devices and cookies, by the hash of their anonymous id.</summary>
    public HashedIds AnonymousIds { get; } = new();

    public Interner Channels { get; } = new();

    public Interner Sources { get; } = new();

    public Interner Mediums { get; } = new();

    public Interner Campaigns { get; } = new();

    public Interner ConversionNames { get; } = new();
}
