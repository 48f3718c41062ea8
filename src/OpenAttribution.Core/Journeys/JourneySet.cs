using OpenAttribution.Core.Events;

namespace OpenAttribution.Core.Journeys;

/// <summary>
/// Conversion paths as spans over columnar touch arrays. Each person's touches are stored once,
/// in order; conversion <c>j</c>'s path is touches <c>Start[j] .. Start[j] + Length[j]</c>. Paths of
/// one person overlap when a touch serves several conversions. Null paths (touches after a
/// person's last counted conversion) are spans too.
/// </summary>
public sealed class JourneySet
{
    public const string NoneChannel = "(none)";
    public const string DirectChannel = "Direct";

    internal JourneySet(
        Dimensions names,
        bool hasTimestamps,
        long[] touchTimes,
        int[] touchChannels,
        int[] touchSources,
        int[] touchMediums,
        int[] touchCampaigns,
        int[] start,
        int[] length,
        long[] conversionTimes,
        double[] counts,
        double[] values,
        int[] nullStart,
        int[] nullLength,
        double[] nullCounts,
        long? timeReference = null,
        int? directId = null)
    {
        Names = names;
        HasTimestamps = hasTimestamps;
        TouchTimes = touchTimes;
        TouchChannels = touchChannels;
        TouchSources = touchSources;
        TouchMediums = touchMediums;
        TouchCampaigns = touchCampaigns;
        Start = start;
        Length = length;
        ConversionTimes = conversionTimes;
        Counts = counts;
        Values = values;
        NullStart = nullStart;
        NullLength = nullLength;
        NullCounts = nullCounts;
        DirectId = directId ?? names.Channels.Find(DirectChannel);
        _timeReference = timeReference;
    }

    private long? _timeReference;

    public Dimensions Names { get; }

    /// <summary>False for journeys read from a path table: no times, so no time decay or time lag.</summary>
    public bool HasTimestamps { get; }

    public long[] TouchTimes { get; }

    public int[] TouchChannels { get; }

    public int[] TouchSources { get; }

    public int[] TouchMediums { get; }

    public int[] TouchCampaigns { get; }

    public int[] Start { get; }

    public int[] Length { get; }

    public long[] ConversionTimes { get; }

    /// <summary>Conversions each path stands for: 1 from events, the row's total from a path table.</summary>
    public double[] Counts { get; }

    /// <summary>Total conversion value of each path.</summary>
    public double[] Values { get; }

    public int[] NullStart { get; }

    public int[] NullLength { get; }

    /// <summary>Non-converting journeys each null path stands for.</summary>
    public double[] NullCounts { get; }

    /// <summary>The channel id of <c>Direct</c>, or -1 when no touch is Direct.</summary>
    public int DirectId { get; }

    public int Conversions => Start.Length;

    /// <summary>
    /// The reference time of time-decay factors (<see cref="Models.TimeDecayFactors"/>): the middle of
    /// the first and last touch of all the journeys. A batch of a larger set (<see cref="JourneyStream"/>)
    /// carries the whole set's, so that its weights, and so every sum, are the same bits.
    /// </summary>
    internal long TimeReference => _timeReference ??= Middle(TouchTimes);

    /// <summary>
    /// The key names of a report over <paramref name="names"/>, with <see cref="NoneChannel"/> last when
    /// the names lack it, and its key id in <paramref name="none"/>. The names are only read: they are
    /// shared with the thread producing the batches, so a consumer must never intern into them.
    /// </summary>
    internal static string[] KeyNamesWithNone(Text.Interner names, out int none)
    {
        none = names.Find(NoneChannel);
        if (none >= 0)
        {
            return [.. names.Names];
        }

        none = names.Count;
        return [.. names.Names, NoneChannel];
    }

    /// <summary>
    /// The keys of a fold carried over to a later read's <paramref name="names"/>, which must begin with
    /// the first <paramref name="count"/> names of <paramref name="first"/> (a snapshot only appends
    /// names): the new key names (<see cref="KeyNamesWithNone"/>), <c>(none)</c>'s new key, and for each
    /// old key (of <paramref name="oldKeys"/>, <c>(none)</c> at <paramref name="oldNone"/>) its new one.
    /// </summary>
    internal static (string[] KeyNames, int None, int[] Map) RebaseKeys(Text.Interner first, int count, int oldKeys, int oldNone, Text.Interner names, string parameter)
    {
        if (!names.StartsWith(first, count))
        {
            throw new ArgumentException("The batch's names must begin with the names of the batches so far.", parameter);
        }

        var keyNames = KeyNamesWithNone(names, out var none);
        var map = new int[oldKeys];
        for (var k = 0; k < map.Length; k++)
        {
            map[k] = k == oldNone ? none : k;
        }

        return (keyNames, none, map);
    }

    /// <summary>
    /// Throws unless a later batch's dictionary <paramref name="names"/> is the first batch's
    /// (<paramref name="first"/>, which held <paramref name="count"/> names) and has not grown: what
    /// folds batches keeps one key per name it saw first.
    /// </summary>
    internal static void CheckSameNames(Text.Interner first, int count, Text.Interner names, string parameter)
    {
        if (!ReferenceEquals(names, first) || names.Count != count)
        {
            throw new ArgumentException("Every batch must share the first batch's names, which must not grow.", parameter);
        }
    }

    /// <summary>The time-decay reference of touches from <paramref name="first"/> to <paramref name="last"/>: their middle.</summary>
    public static long TimeReferenceOf(long first, long last) => first + ((last - first) / 2);

    internal static long Middle(ReadOnlySpan<long> times)
    {
        if (times.IsEmpty)
        {
            return 0;
        }

        long min = long.MaxValue, max = long.MinValue;
        foreach (var t in times)
        {
            min = Math.Min(min, t);
            max = Math.Max(max, t);
        }

        return TimeReferenceOf(min, max);
    }

    /// <summary>
    /// The same journeys with their conversions, values and null journeys negated: folded into an
    /// accumulator, they take away exactly what folding these journeys added (up to rounding), which is
    /// how a kept report drops people whose rows changed (<see cref="JourneyPart.Removed"/>).
    /// </summary>
    public JourneySet Negated() => new(
        Names, HasTimestamps, TouchTimes, TouchChannels, TouchSources, TouchMediums, TouchCampaigns, Start, Length,
        ConversionTimes, Negate(Counts), Negate(Values), NullStart, NullLength, Negate(NullCounts), TimeReference, DirectId);

    private static double[] Negate(double[] values)
    {
        var negated = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            negated[i] = -values[i];
        }

        return negated;
    }

    public double TotalConversions => Counts.Sum();

    public double TotalValue => Values.Sum();

    /// <summary>The column of keys and the dictionary for a report dimension.</summary>
    public (int[] Keys, Text.Interner Names) Dimension(Dimension dimension)
    {
        var result = dimension switch
        {
            Journeys.Dimension.Channel => (TouchChannels, Names.Channels),
            Journeys.Dimension.Source => (TouchSources, Names.Sources),
            Journeys.Dimension.Medium => (TouchMediums, Names.Mediums),
            Journeys.Dimension.Campaign => (TouchCampaigns, Names.Campaigns),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "unknown dimension"),
        };
        if (result.Item1.Length != TouchChannels.Length)
        {
            throw new InvalidOperationException(
                $"These journeys come from a path table, which holds channels only: a report by {dimension.ToString().ToLowerInvariant()} needs events.");
        }

        return result;
    }
}

/// <summary>
/// Which part of a resolved snapshot a batch of journeys comes from, when a store streams it in parts
/// for a report that is kept and brought up to date (<c>IResolvedEventSource.ReadJourneyParts</c>).
/// </summary>
public enum JourneyPart
{
    /// <summary>A person of the base who is still current (read only when the report starts afresh).</summary>
    Base,

    /// <summary>A person re-resolved since the kept report was made, as they were then: what the report must take away.</summary>
    Removed,

    /// <summary>A person as they are now, whose earlier state (if any) came as <see cref="Removed"/>: added to the kept fold.</summary>
    Added,
}

public enum Dimension
{
    Channel,
    Source,
    Medium,
    Campaign,
}
