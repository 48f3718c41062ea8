using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Identity;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Paths;
using OpenAttribution.Core.Reports;

namespace OpenAttribution.Core.Tests.Journeys;

/// <summary>
/// Journeys streamed in batches of people (as a store hands them over) and folded in order give the
/// same credits, bit for bit, and the same path table, row for row, as all the journeys at once.
/// </summary>
public class JourneyStreamTests
{
    private static readonly List<ModelSpec> Models = ModelNames.RuleBased.Select(ModelSpec.Of)
        .Append(ModelSpec.Of(ModelKind.Markov))
        .Append(new ModelSpec(ModelKind.Markov) { Order = 2 })
        .Append(ModelSpec.Of(ModelKind.Shapley))
        .ToList();

    public static TheoryData<int, int> Cases() => new()
    {
        { 1, 1 },
        { 1, 5 },
        { 2, 64 },
        { 3, 1000 },
        { 4, JourneyStream.DefaultBatchTouches },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StreamedBatchesFoldToTheCreditsOfAllJourneysAtOnce(int seed, int batchTouches)
    {
        var table = Generated(seed);
        var options = new[]
        {
            new JourneyOptions(),
            new JourneyOptions { ResetOnConversion = true, Lookback = TimeSpan.FromDays(3) },
            new JourneyOptions { ConversionName = "purchase", FromTicks = table.Timestamps.Min() + TimeSpan.FromDays(20).Ticks },
        };
        foreach (var option in options)
        {
            var all = JourneyBuilder.Build(table, option);
            foreach (var dimension in new[] { Dimension.Channel, Dimension.Campaign })
            {
                var expected = AttributionEngine.Run(all, Models, dimension);
                var accumulator = new AttributionAccumulator(Models, dimension);
                var batches = Stream(table, option, batchTouches, accumulator.Add);
                var actual = accumulator.Results();
                Assert.True(batches >= 1);
                for (var m = 0; m < Models.Count; m++)
                {
                    Assert.Equal(expected[m].Keys, actual[m].Keys);
                    Assert.Equal(expected[m].Conversions, actual[m].Conversions);
                    Assert.Equal(expected[m].Values, actual[m].Values);
                    Assert.Equal(expected[m].RemovalEffects, actual[m].RemovalEffects);
                }
            }

            var paths = new PathTableAccumulator();
            var report = new PathReportAccumulator(50, Dimension.Channel);
            Stream(table, option, batchTouches, b =>
            {
                paths.Add(b);
                report.Add(b);
            });
            AssertSame(PathTableJourneys.ToPathTable(all), paths.Build());
            AssertSame(PathReport.Build(all, 50), report.Build());
        }
    }

    [Fact]
    public void SmallBatchesHoldWholePeopleAndEveryConversion()
    {
        var table = Generated(7);
        var all = JourneyBuilder.Build(table);
        var conversions = 0;
        var touches = 0;
        var batches = Stream(table, new JourneyOptions(), 10, batch =>
        {
            conversions += batch.Conversions;
            touches += batch.TouchTimes.Length;

            // A batch closes at the first person boundary after 10 touches: no batch is much larger.
            Assert.True(batch.TouchTimes.Length < 10 + 200);
        });
        Assert.Equal(all.Conversions, conversions);
        Assert.Equal(all.TouchTimes.Length, touches);
        Assert.True(batches > all.TouchTimes.Length / 200);
    }

    [Fact]
    public void AnEmptyStreamHandsOverOneEmptyBatch()
    {
        var names = new Dimensions();
        var batches = new List<JourneySet>();
        var stream = new JourneyStream(names, [], [], null, 0, batches.Add);
        stream.Complete();
        var batch = Assert.Single(batches);
        Assert.Equal(0, batch.Conversions);
        var accumulator = new AttributionAccumulator([ModelSpec.Of(ModelKind.Linear)]);
        accumulator.Add(batch);
        Assert.Equal(0, accumulator.Results()[0].TotalConversions);
    }

    [Fact]
    public void EventsOutOfPersonOrTimeOrderAreRefused()
    {
        var names = new Dimensions();
        names.Channels.Intern("Email");
        var stream = new JourneyStream(names, [(0, -1, -1, -1)], [], null, 0, _ => { });
        EventType[] touches = [EventType.Touch, EventType.Touch];
        int[] none = [-1, -1];
        double[] zero = [0, 0];
        var byPerson = Assert.Throws<InvalidDataException>(() => stream.Add([2, 1], [5, 6], touches, [0, 0], none, zero));
        Assert.Contains("person 1 after person 2", byPerson.Message, StringComparison.Ordinal);

        var second = new JourneyStream(names, [(0, -1, -1, -1)], [], null, 0, _ => { });
        var byTime = Assert.Throws<InvalidDataException>(() => second.Add([3, 3], [6, 5], touches, [0, 0], none, zero));
        Assert.Contains("person 3", byTime.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchesOfAnotherSetOfNamesAreRefused()
    {
        var accumulator = new AttributionAccumulator([ModelSpec.Of(ModelKind.LastTouch)]);
        accumulator.Add(JourneyBuilder.Build(Generated(1)));
        Assert.Throws<ArgumentException>(() => accumulator.Add(JourneyBuilder.Build(Generated(2))));
    }

    /// <summary>Streams the table's events as a store would: people in the order the builder numbers them, each person's by time.</summary>
    private static int Stream(EventTable table, JourneyOptions options, int batchTouches, Action<JourneySet> onBatch)
    {
        var persons = IdentityResolver.ResolvePersons(table, out _);
        var order = Enumerable.Range(0, table.Count).OrderBy(i => persons[i]).ThenBy(i => table.Timestamps[i]).ThenBy(i => i).ToArray();
        var sourceIds = new Dictionary<(int, int, int, int), int>();
        var sources = new List<(int, int, int, int)>();
        var eventSources = new int[table.Count];
        for (var i = 0; i < table.Count; i++)
        {
            if (table.Types[i] != EventType.Touch)
            {
                eventSources[i] = -1;
                continue;
            }

            var key = (table.Channels[i], table.Sources[i], table.Mediums[i], table.Campaigns[i]);
            if (!sourceIds.TryGetValue(key, out var id))
            {
                id = sources.Count;
                sourceIds.Add(key, id);
                sources.Add(key);
            }

            eventSources[i] = id;
        }

        var touchTimes = Enumerable.Range(0, table.Count).Where(i => table.Types[i] == EventType.Touch).Select(i => table.Timestamps[i]).ToArray();
        var conversionNames = Enumerable.Range(0, table.Names.ConversionNames.Count).ToArray();
        var batches = 0;
        var stream = new JourneyStream(
            table.Names, [.. sources], conversionNames, options, JourneySet.Middle(touchTimes), b =>
            {
                batches++;
                onBatch(b);
            },
            batchTouches);

        // In uneven slices, as chunks of a store would come.
        for (var at = 0; at < order.Length;)
        {
            var n = Math.Min(order.Length - at, 1 + (at % 97));
            var slice = order.AsSpan(at, n).ToArray();
            stream.Add(
                slice.Select(i => persons[i]).ToArray(),
                slice.Select(i => table.Timestamps[i]).ToArray(),
                slice.Select(i => table.Types[i]).ToArray(),
                slice.Select(i => eventSources[i]).ToArray(),
                slice.Select(i => Math.Max(table.Conversions[i], 0)).ToArray(),
                slice.Select(i => table.Values[i]).ToArray());
            at += n;
        }

        stream.Complete();
        return batches;
    }

    private static EventTable Generated(int seed)
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 400, Seed = seed });
        var builder = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(writer.ToString()), builder);
        return builder.Build();
    }

    private static void AssertSame(PathReport expected, PathReport actual)
    {
        Assert.Equal(expected.TopPaths, actual.TopPaths);
        Assert.Equal(expected.PathLengths, actual.PathLengths);
        Assert.Equal(expected.TimeLags, actual.TimeLags);
        Assert.Equal(expected.Assists, actual.Assists);
        Assert.Equal(expected.TotalConversions, actual.TotalConversions);
        Assert.Equal(expected.TotalValue, actual.TotalValue);
        Assert.Equal(expected.DistinctPaths, actual.DistinctPaths);
        Assert.True(expected.Assists.Count > 0 && expected.TimeLags.Count > 0);
    }

    private static void AssertSame(PathTable expected, PathTable actual)
    {
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(expected.Offsets, actual.Offsets);
        Assert.Equal(expected.ChannelIds, actual.ChannelIds);
        Assert.Equal(expected.Conversions, actual.Conversions);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Nulls, actual.Nulls);
    }
}
