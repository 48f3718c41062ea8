using OpenAttribution.Core.Events;
using OpenAttribution.Core.Identity;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Journeys;

/// <summary>Builds conversion paths and null paths from events (spec section 2).</summary>
public static class JourneyBuilder
{
    public static JourneySet Build(EventTable events, JourneyOptions? options = null)
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

        var times = events.Timestamps;
        var types = events.Types;
        var conversionId = options.ConversionName is null ? -2 : events.Names.ConversionNames.Find(options.ConversionName);
        var lookback = options.Lookback.Ticks;
        var from = options.FromTicks ?? long.MinValue;
        var to = options.ToTicks ?? long.MaxValue;

        var touchCount = 0;
        foreach (var t in types)
        {
            if (t == EventType.Touch)
            {
                touchCount++;
            }
        }

        var touchTimes = new long[touchCount];
        var touchChannels = new int[touchCount];
        var touchSources = new int[touchCount];
        var touchMediums = new int[touchCount];
        var touchCampaigns = new int[touchCount];
        var start = new Column<int>();
        var length = new Column<int>();
        var conversionTimes = new Column<long>();
        var values = new Column<double>();
        var nullStart = new Column<int>();
        var nullLength = new Column<int>();
        var personConversions = new List<int>();

        var next = 0;
        for (var p = 0; p < personCount; p++)
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
                        touchChannels[next] = events.Channels[e];
                        touchSources[next] = events.Sources[e];
                        touchMediums[next] = events.Mediums[e];
                        touchCampaigns[next] = events.Campaigns[e];
                        next++;
                        break;
                    case EventType.Conversion when conversionId == -2 || events.Conversions[e] == conversionId:
                        personConversions.Add(e);
                        break;
                }
            }

            var personTimes = touchTimes.AsSpan(first, next - first);
            var previous = long.MinValue;
            foreach (var e in personConversions)
            {
                var tc = times[e];
                var hi = UpperBound(personTimes, tc);
                var lo = UpperBound(personTimes, tc - lookback);
                if (options.ResetOnConversion && previous != long.MinValue)
                {
                    lo = Math.Max(lo, UpperBound(personTimes, previous));
                }

                if (tc >= from && tc < to)
                {
                    start.Add(first + lo);
                    length.Add(Math.Max(0, hi - lo));
                    conversionTimes.Add(tc);
                    values.Add(events.Values[e]);
                }

                previous = tc;
            }

            var nullFrom = personConversions.Count == 0 ? 0 : UpperBound(personTimes, previous);
            if (nullFrom < personTimes.Length)
            {
                nullStart.Add(first + nullFrom);
                nullLength.Add(personTimes.Length - nullFrom);
            }
        }

        var counts = new double[start.Count];
        Array.Fill(counts, 1.0);
        var nullCounts = new double[nullStart.Count];
        Array.Fill(nullCounts, 1.0);
        return new JourneySet(
            events.Names,
            hasTimestamps: true,
            touchTimes,
            touchChannels,
            touchSources,
            touchMediums,
            touchCampaigns,
            start.ToArray(),
            length.ToArray(),
            conversionTimes.ToArray(),
            counts,
            values.ToArray(),
            nullStart.ToArray(),
            nullLength.ToArray(),
            nullCounts);
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
