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

    /// <summary>
    /// A table whose people a store has already resolved (identity stitching done in SQL): the event's
    /// person is <paramref name="persons"/>, a dense id below <paramref name="personCount"/>, and no
    /// event keeps an anonymous id. Journeys built from it equal journeys built from the raw events.
    /// </summary>
    public static EventTable FromPeople(
        int personCount,
        long[] timestamps,
        EventType[] types,
        int[] persons,
        int[] channels,
        int[] sources,
        int[] mediums,
        int[] campaigns,
        int[] conversions,
        double[] values,
        Dimensions names)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(names);
        var count = timestamps.Length;
        if (types.Length != count || persons.Length != count || channels.Length != count || sources.Length != count
            || mediums.Length != count || campaigns.Length != count || conversions.Length != count || values.Length != count)
        {
            throw new ArgumentException("every column must have one entry per event", nameof(timestamps));
        }

        if (names.Users.Count != 0 || names.AnonymousIds.Count != 0)
        {
            throw new ArgumentException("the dimensions must not hold user or anonymous ids yet", nameof(names));
        }

        var ordered = true;
        for (var i = 0; i < count; i++)
        {
            var p = persons[i];
            if ((uint)p >= (uint)personCount)
            {
                throw new ArgumentException($"person {p} is outside 0..{personCount - 1}", nameof(persons));
            }

            ordered &= i == 0 || p > persons[i - 1] || (p == persons[i - 1] && timestamps[i] >= timestamps[i - 1]);
        }

        names.Users.AddUnnamed(personCount);
        var anonymous = new int[count];
        Array.Fill(anonymous, -1);
        return new EventTable(count, timestamps, types, persons, anonymous, channels, sources, mediums, campaigns, conversions, values, names)
        {
            OrderedByPerson = ordered,
        };
    }

    /// <summary>
    /// True when every event's person is in <see cref="Users"/> (no anonymous ids) and the events come
    /// ordered by person, then time, then input order: journeys then need no identity stitching or sorting.
    /// </summary>
    internal bool OrderedByPerson { get; private init; }

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
    public Dimensions()
        : this(new HashedIds(), new HashedIds())
    {
    }

    internal Dimensions(HashedIds users, HashedIds anonymousIds)
    {
        Users = users;
        AnonymousIds = anonymousIds;
    }

    /// <summary>Known people, by the hash of their user id.</summary>
    public HashedIds Users { get; }

    /// <summary>Devices and cookies, by the hash of their anonymous id.</summary>
    public HashedIds AnonymousIds { get; }

    public Interner Channels { get; } = new();

    public Interner Sources { get; } = new();

    public Interner Mediums { get; } = new();

    public Interner Campaigns { get; } = new();

    public Interner ConversionNames { get; } = new();
}
