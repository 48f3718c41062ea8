using OpenAttribution.Core.Events;
using OpenAttribution.Core.Identity;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Journeys;

/// <summary>Builds conversion paths and null paths from events (spec section 2).</summary>
public static class JourneyBuilder
{
    public static JourneySet Build(EventTable events, JourneyOptions? options = null) => Build(events, options, ParallelThreshold);

    /// <summary>As <see cref="Build(EventTable, JourneyOptions?)"/>, on two threads from <paramref name="parallelFrom"/> events on.</summary>
    internal static JourneySet Build(EventTable events, JourneyOptions? options, int parallelFrom)
    {
        options ??= new JourneyOptions();
        int[]? order;
        int[] personStart;
        int personCount;
        if (events.OrderedByPerson)
        {
            // A store already stitched identities and sorted: the events are the order.
            personCount = events.Names.Users.Count;
            personStart = PersonStarts(events.Users, personCount);
            order = null;
        }
        else
        {
            var persons = IdentityResolver.ResolvePersons(events, out personCount);
            (order, personStart) = OrderByPerson(events, persons, personCount);
        }

        var conversionId = options.ConversionName is null ? -2 : events.Names.ConversionNames.Find(options.ConversionName);
        var touchCount = 0;
        foreach (var t in events.Types)
        {
            if (t == EventType.Touch)
            {
                touchCount++;
            }
        }

        var touches = new Touches(touchCount);

        // Large tables: the people in two halves at once, each writing its own range of the touch
        // arrays; the halves' journeys are then joined in person order, so the set is the same.
        var split = events.Count >= parallelFrom ? personCount / 2 : personCount;
        var firstHalfTouches = CountTouches(events, order, personStart[0], personStart[split]);
        var parts = new Part[split < personCount ? 2 : 1];
        var ranges = new[] { (From: 0, To: split, Touch: 0), (From: split, To: personCount, Touch: firstHalfTouches) };
        if (parts.Length == 1)
        {
            parts[0] = BuildPart(events, options, conversionId, order, personStart, ranges[0], touches);
        }
        else
        {
            Parallel.For(0, parts.Length, Parallelism.Options(), i => parts[i] = BuildPart(events, options, conversionId, order, personStart, ranges[i], touches));
        }

        var start = Concat(parts, x => x.Start);
        var nullStart = Concat(parts, x => x.NullStart);
        return new JourneySet(
            events.Names,
            hasTimestamps: true,
            touches.Times,
            touches.Channels,
            touches.Sources,
            touches.Mediums,
            touches.Campaigns,
            start,
            Concat(parts, x => x.Length),
            Concat(parts, x => x.ConversionTimes),
            Ones(start.Length),
            Concat(parts, x => x.Values),
            nullStart,
            Concat(parts, x => x.NullLength),
            Ones(nullStart.Length));
    }

    /// <summary>Counts of journeys built from events: each stands for one conversion or one null path.</summary>
    internal static double[] Ones(int length)
    {
        var ones = new double[length];
        Array.Fill(ones, 1.0);
        return ones;
    }

    /// <summary>From this many events on, two threads build the journeys.</summary>
    private const int ParallelThreshold = 1 << 20;

    /// <summary>The conversions and null paths of one range of people.</summary>
    internal sealed class Part
    {
        public Column<int> Start { get; } = new();

        public Column<int> Length { get; } = new();

        public Column<long> ConversionTimes { get; } = new();

        public Column<double> Values { get; } = new();

        public Column<int> NullStart { get; } = new();

        public Column<int> NullLength { get; } = new();

        public void Clear()
        {
            Start.Clear();
            Length.Clear();
            ConversionTimes.Clear();
            Values.Clear();
            NullStart.Clear();
            NullLength.Clear();
        }
    }

    /// <summary>Every touch of every person, in person then time order.</summary>
    private sealed class Touches(int count)
    {
        public long[] Times { get; } = new long[count];

        public int[] Channels { get; } = new int[count];

        public int[] Sources { get; } = new int[count];

        public int[] Mediums { get; } = new int[count];

        public int[] Campaigns { get; } = new int[count];
    }

    private static int CountTouches(EventTable events, int[]? order, int from, int to)
    {
        var n = 0;
        for (var k = from; k < to; k++)
        {
            if (events.Types[order is null ? k : order[k]] == EventType.Touch)
            {
                n++;
            }
        }

        return n;
    }

    private static T[] Concat<T>(Part[] parts, Func<Part, Column<T>> column)
        where T : unmanaged
    {
        if (parts.Length == 1)
        {
            return column(parts[0]).ToArray();
        }

        var all = new T[parts.Sum(p => column(p).Count)];
        var at = 0;
        foreach (var part in parts)
        {
            var items = column(part).AsSpan();
            items.CopyTo(all.AsSpan(at));
            at += items.Length;
        }

        return all;
    }

    private static Part BuildPart(
        EventTable events, JourneyOptions options, int conversionId, int[]? order, int[] personStart, (int From, int To, int Touch) range, Touches touches)
    {
        var times = events.Timestamps;
        var types = events.Types;
        var window = new Window(options);
        var touchTimes = touches.Times;
        var part = new Part();
        var personConversions = new List<(long Time, double Value)>();

        var next = range.Touch;
        for (var p = range.From; p < range.To; p++)
        {
            var first = next;
            personConversions.Clear();
            for (var k = personStart[p]; k < personStart[p + 1]; k++)
            {
                var e = order is null ? k : order[k];
                switch (types[e])
                {
                    case EventType.Touch:
                        touchTimes[next] = times[e];
                        touches.Channels[next] = events.Channels[e];
                        touches.Sources[next] = events.Sources[e];
                        touches.Mediums[next] = events.Mediums[e];
                        touches.Campaigns[next] = events.Campaigns[e];
                        next++;
                        break;
                    case EventType.Conversion when conversionId == -2 || events.Conversions[e] == conversionId:
                        personConversions.Add((times[e], events.Values[e]));
                        break;
                }
            }

            AddPerson(part, first, touchTimes.AsSpan(first, next - first), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(personConversions), window);
        }

        return part;
    }

    /// <summary>The journey options that place a conversion's window, as ticks.</summary>
    internal readonly struct Window(JourneyOptions options)
    {
        public long Lookback { get; } = options.Lookback.Ticks;

        public long From { get; } = options.FromTicks ?? long.MinValue;

        public long To { get; } = options.ToTicks ?? long.MaxValue;

        public bool ResetOnConversion { get; } = options.ResetOnConversion;
    }

    /// <summary>
    /// One person's conversion paths and null path, given the person's touch times (touches
    /// <paramref name="first"/> onwards of the touch arrays) and counted conversions, both in time order.
    /// </summary>
    internal static void AddPerson(Part part, int first, ReadOnlySpan<long> personTimes, ReadOnlySpan<(long Time, double Value)> conversions, in Window window)
    {
        var previous = long.MinValue;
        foreach (var (tc, value) in conversions)
        {
            var hi = UpperBound(personTimes, tc);
            var lo = UpperBound(personTimes, tc - window.Lookback);
            if (window.ResetOnConversion && previous != long.MinValue)
            {
                lo = Math.Max(lo, UpperBound(personTimes, previous));
            }

            if (tc >= window.From && tc < window.To)
            {
                part.Start.Add(first + lo);
                part.Length.Add(Math.Max(0, hi - lo));
                part.ConversionTimes.Add(tc);
                part.Values.Add(value);
            }

            previous = tc;
        }

        var nullFrom = conversions.IsEmpty ? 0 : UpperBound(personTimes, previous);
        if (nullFrom < personTimes.Length)
        {
            part.NullStart.Add(first + nullFrom);
            part.NullLength.Add(personTimes.Length - nullFrom);
        }
    }

    /// <summary>Index of the first element greater than <paramref name="value"/> in a sorted span.</summary>
    internal static int UpperBound(ReadOnlySpan<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Where each person's events start in a table ordered by person.</summary>
    private static int[] PersonStarts(int[] persons, int personCount)
    {
        var personStart = new int[personCount + 1];
        var next = 0;
        for (var p = 0; p <= personCount; p++)
        {
            while (next < persons.Length && persons[next] < p)
            {
                next++;
            }

            personStart[p] = next;
        }

        return personStart;
    }

    /// <summary>
    /// Event indices grouped by person (counting sort, so input order is kept), then each person's
    /// events ordered by timestamp with ties in input order.
    /// </summary>
    private static (int[] Order, int[] PersonStart) OrderByPerson(EventTable events, int[] persons, int personCount)
    {
        var personStart = new int[personCount + 1];
        foreach (var p in persons)
        {
            personStart[p + 1]++;
        }

        for (var p = 0; p < personCount; p++)
        {
            personStart[p + 1] += personStart[p];
        }

        var fill = personStart[..^1];
        var order = new int[persons.Length];
        for (var i = 0; i < persons.Length; i++)
        {
            order[fill[persons[i]]++] = i;
        }

        var times = events.Timestamps;
        var keys = new long[order.Length];
        for (var k = 0; k < order.Length; k++)
        {
            keys[k] = times[order[k]];
        }

        for (var p = 0; p < personCount; p++)
        {
            var s = personStart[p];
            var n = personStart[p + 1] - s;
            if (n > 1)
            {
                SortStable(keys.AsSpan(s, n), order.AsSpan(s, n));
            }
        }

        return (order, personStart);
    }

    /// <summary>Sorts by key; equal keys keep ascending item (= input) order.</summary>
    private static void SortStable(Span<long> keys, Span<int> items)
    {
        if (keys.Length <= 32)
        {
            // Insertion sort: stable, and the common case (already in order) is linear.
            for (var i = 1; i < keys.Length; i++)
            {
                var k = keys[i];
                var it = items[i];
                var j = i - 1;
                while (j >= 0 && keys[j] > k)
                {
                    keys[j + 1] = keys[j];
                    items[j + 1] = items[j];
                    j--;
                }

                keys[j + 1] = k;
                items[j + 1] = it;
            }

            return;
        }

        keys.Sort(items);
        var runStart = 0;
        for (var i = 1; i <= keys.Length; i++)
        {
            if (i == keys.Length || keys[i] != keys[runStart])
            {
                if (i - runStart > 1)
                {
                    items[runStart..i].Sort();
                }

                runStart = i;
            }
        }
    }
}
