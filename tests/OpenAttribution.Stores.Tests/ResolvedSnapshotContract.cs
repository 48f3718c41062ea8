using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;

namespace OpenAttribution.Stores.Tests;

/// <summary>
/// For every store with a resolved read path (<see cref="IResolvedEventSource"/>): the snapshot
/// (identity stitching, people and traffic sources in SQL) gives exactly the journeys and credits of
/// the raw events read through .NET, for every option. Each backend derives a class that opens a
/// fresh, empty store; a class-level <c>[PostgresFact]</c> skips the suite when its server is missing.
/// </summary>
public abstract class ResolvedSnapshotContract
{
    protected const string Header = "event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,content,term,referrer,url,conversion,value";

    // Identity edge cases: a1 is linked twice at the same time (the first row wins), a2 touches
    // before and after its link, a3 is never linked; traffic edge cases: a self-referral on one host
    // and a real referral from another with the same query, the same UTM fields with different
    // terms (a rule reads the term), paths that do not matter, fragments before the query.
    private const string Tricky = Header + """

        t1,2026-03-01T09:00:00Z,,a1,touch,,,,,,,https://www.google.com/,https://shop.example/a?x=1,,
        t2,2026-03-01T10:00:00Z,,a2,touch,,,,,,,https://shop.example/b,https://shop.example/c?x=1,,
        t3,2026-03-01T10:00:00Z,,a2,touch,,,,,,,https://shop.example/b,https://other.example/c?x=1,,
        i1,2026-03-02T09:00:00Z,u1,a1,identify,,,,,,,,,,
        i2,2026-03-02T09:00:00Z,u2,a1,identify,,,,,,,,,,
        i3,2026-03-02T11:00:00Z,u2,a2,identify,,,,,,,,,,
        t4,2026-03-03T09:00:00Z,,a2,touch,,google,cpc,spring,,brand shoes,,,,
        t5,2026-03-03T09:00:00Z,,a2,touch,,google,cpc,spring,,shoes,,,,
        t6,2026-03-04T09:00:00Z,u1,,touch,,,,,,,,https://shop.example/x/y#top?utm_source=news&utm_medium=email,,
        c1,2026-03-05T09:00:00Z,u1,,conversion,,,,,,,,,signup,0
        c2,2026-03-05T09:00:00Z,,a2,conversion,,,,,,,,,purchase,80.5
        t7,2026-03-05T09:00:00Z,,a3,touch,Partners,,,,,,,,,
        t8,2026-03-06T09:00:00Z,,a3,touch,,,,,,,,https://shop.example/p?gclid=abc,,
        c3,2026-03-07T09:00:00Z,,a3,conversion,,,,,,,,,purchase,20
        t9,2026-03-08T09:00:00Z,u2,,touch,,,,,,,https://news.example/,https://shop.example/,,
        c4,2026-03-09T09:00:00Z,u2,,conversion,,,,,,,,,purchase,10
        t10,2026-03-10T09:00:00Z,,a1,touch,,,,,,,,,,
        """;

    private const string TermRules = """
        extends: default
        rules:
          - channel: Brand Search
            all:
              - { field: term, contains: brand }
        """;

    /// <summary>A new, empty store of the backend under test.</summary>
    protected abstract IEventStore Open();

    /// <summary>How the backend brings a snapshot up to date after a small import (incremental where it can).</summary>
    protected virtual Stores.Snapshot.SnapshotRefresh AfterASmallImport => Stores.Snapshot.SnapshotRefresh.Full;

    // Each import after the first is applied to the snapshot the reports before it read: new people,
    // a link that merges two existing people (a1 into u1), events older than stored ones (a late touch
    // and a late conversion), a late earlier link that takes a device from one user to another (a2
    // from u2 to u3), new traffic sources and conversion names, a duplicate, a batch of identifies only.
    private static readonly string[] Live =
    [
        """
        l1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,brand,,,,,,
        l2,2026-03-02T09:00:00Z,u1,,touch,Email,,,,,,,,,
        l3,2026-03-03T09:00:00Z,,a1,conversion,,,,,,,,,purchase,10
        l4,2026-03-03T10:00:00Z,u1,,conversion,,,,,,,,,purchase,20
        l5,2026-03-04T09:00:00Z,,a2,touch,,,,,,,https://news.example/,https://shop.example/,,
        l6,2026-03-05T09:00:00Z,u2,a2,identify,,,,,,,,,,
        l7,2026-03-06T09:00:00Z,,a2,conversion,,,,,,,,,purchase,5
        """,
        """
        l8,2026-03-02T12:00:00Z,u1,a1,identify,,,,,,,,,,
        l9,2026-03-07T09:00:00Z,,a4,touch,,,,,,,,https://shop.example/?utm_source=tiktok&utm_medium=paid_social,,
        l10,2026-03-08T09:00:00Z,,a4,conversion,,,,,,,,,signup,
        """,
        """
        l11,2026-02-20T09:00:00Z,u1,,touch,Display,,,,,,,,,
        l12,2026-03-01T08:00:00Z,u3,a2,identify,,,,,,,,,,
        l13,2026-03-09T09:00:00Z,u3,,touch,Affiliates,,,,,,,,,
        l3,2026-03-03T09:00:00Z,,a1,conversion,,,,,,,,,purchase,10
        """,
        """
        l14,2026-03-10T09:00:00Z,u4,a4,identify,,,,,,,,,,
        l15,2026-03-10T10:00:00Z,u1,a5,identify,,,,,,,,,,
        """,
        """
        l16,2026-03-11T09:00:00Z,,a5,touch,,bing,cpc,spring,,,,,,
        l17,2026-03-02T09:30:00Z,u2,,conversion,,,,,,,,,refund,-3
        l18,2026-03-12T09:00:00Z,,a6,touch,,,,,,,,,,
        l19,2026-03-12T10:00:00Z,,a6,conversion,,,,,,,,,purchase,1
        l20,2026-03-12T11:00:00Z,,a1,touch,,,,,,,https://www.google.com/,,,
        l21,2026-03-13T09:00:00Z,u4,,conversion,,,,,,,,,purchase,8
        """,
    ];

    [StoreFact]
    public void ReportsBetweenImportsEqualAFullBuildOfTheEventsSoFar()
    {
        using var store = Open();
        var resolved = Assert.IsAssignableFrom<IResolvedEventSource>(store);
        var csv = Header;
        for (var i = 0; i < Live.Length; i++)
        {
            var part = Header + "\n" + Live[i];
            Import(store, part);
            csv += "\n" + Live[i];
            Assert.Equal(i == 0 ? Stores.Snapshot.SnapshotRefresh.Full : AfterASmallImport, resolved.EnsureSnapshot());
            Assert.Equal(Stores.Snapshot.SnapshotRefresh.Current, resolved.EnsureSnapshot());
            AssertSameAsFile(store, Distinct(csv), ChannelGrouping.Default);
        }
    }

    [StoreFact]
    public void GeneratedEventsInShuffledImportsWithReportsBetweenEqualAFullBuild()
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 600, Seed = 21 });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        // Shuffled: identifies after the touches they link, conversions before earlier touches.
        var rows = lines.Skip(1).OrderBy(l => (uint)l.GetHashCode(StringComparison.Ordinal) ^ 0x5bd1e995u).ToList();
        using var store = Open();
        var resolved = Assert.IsAssignableFrom<IResolvedEventSource>(store);
        var sizes = new[] { rows.Count / 2, 1, 7, 40, 150 };
        var at = 0;
        foreach (var size in sizes)
        {
            var part = rows.Skip(at).Take(size).ToList();
            at += part.Count;
            Import(store, header + "\n" + string.Join('\n', part));
            resolved.EnsureSnapshot();
            AssertSameAsFile(store, header + "\n" + string.Join('\n', rows.Take(at)), ChannelGrouping.Default);
        }

        Import(store, header + "\n" + string.Join('\n', rows.Skip(at)));
        AssertSameAsFile(store, header + "\n" + string.Join('\n', rows), ChannelGrouping.Default);
    }

    [StoreFact]
    public void KeptReportsBroughtUpToDateBetweenImportsEqualAFreshFold()
    {
        // The live imports (a link merging two people, late events, a device moving between users, new
        // sources and conversion names, a refund), then generated events in shuffled imports.
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 300, Seed = 5 });
        var generated = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var shuffled = generated.Skip(1).OrderBy(l => (uint)l.GetHashCode(StringComparison.Ordinal) ^ 0x2545f491u).ToList();
        var imports = Live.Select(l => Header + "\n" + l).ToList();
        foreach (var size in new[] { shuffled.Count / 2, 3, 60 })
        {
            imports.Add(generated[0] + "\n" + string.Join('\n', shuffled.Take(size)));
            shuffled = shuffled.Skip(size).ToList();
        }

        var models = ModelNames.RuleBased.Select(ModelSpec.Of).Append(ModelSpec.Of(ModelKind.Markov)).Append(ModelSpec.Of(ModelKind.Shapley)).ToList();
        var reports = new[]
        {
            (Dimension.Channel, new JourneyOptions()),
            (Dimension.Campaign, new JourneyOptions { ResetOnConversion = true, Lookback = TimeSpan.FromDays(3) }),
            (Dimension.Source, new JourneyOptions { ConversionName = "purchase", FromTicks = new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc).Ticks }),
        };
        using var store = Open();
        var resolved = Assert.IsAssignableFrom<IResolvedEventSource>(store);
        var kept = reports.Select(r => new Stores.Snapshot.KeptFold<AttributionAccumulator>(() => new AttributionAccumulator(models, r.Item1), r.Item2)).ToArray();
        var keptPaths = reports.Select(r => new Stores.Snapshot.KeptFold<PathReportAccumulator>(() => new PathReportAccumulator(100, r.Item1), r.Item2)).ToArray();
        var continued = 0;
        for (var i = 0; i < imports.Count; i++)
        {
            Import(store, imports[i]);
            for (var r = 0; r < reports.Length; r++)
            {
                var (dimension, options) = reports[r];
                var fresh = new AttributionAccumulator(models, dimension);
                var freshPaths = new PathReportAccumulator(100, dimension);
                JourneyPipeline.Run((onBatch, stop) => resolved.ReadJourneys(ChannelGrouping.Default, options, onBatch, stop, batchTouches: 4), batch =>
                {
                    fresh.Add(batch);
                    freshPaths.Add(batch);
                });
                var expected = fresh.Results();
                var expectedPaths = freshPaths.Build();

                // Twice: the second read has nothing to take away and must not drift.
                for (var twice = 0; twice < 2; twice++)
                {
                    var actual = kept[r].Read(resolved, ChannelGrouping.Default, batchTouches: 4).Results();
                    continued += kept[r].LastReadWasFresh ? 0 : 1;
                    AssertClose(expectedPaths, keptPaths[r].Read(resolved, ChannelGrouping.Default, batchTouches: 4).Build(), $"import {i}, {dimension}, paths");
                    for (var m = 0; m < models.Count; m++)
                    {
                        Assert.Equal(expected[m].Keys, actual[m].Keys);
                        AssertClose(expected[m].Conversions, actual[m].Conversions, $"import {i}, {dimension}, {models[m].Name}, conversions");
                        AssertClose(expected[m].Values, actual[m].Values, $"import {i}, {dimension}, {models[m].Name}, values");
                        Assert.Equal(expected[m].TotalConversions, actual[m].TotalConversions, 9);
                    }
                }
            }
        }

        // Every read after the first continued its kept report, unless the store rebuilt its base.
        Assert.True(AfterASmallImport == Stores.Snapshot.SnapshotRefresh.Full || continued > reports.Length * imports.Count, $"{continued} continued reads");
    }

    private static void AssertClose(PathReport expected, PathReport actual, string what)
    {
        Assert.Equal(expected.DistinctPaths, actual.DistinctPaths);
        Assert.Equal(expected.TotalConversions, actual.TotalConversions, 9);
        foreach (var (e, a, part) in new[]
        {
            (expected.TopPaths.Select(p => (p.Path, p.Conversions, p.Value)), actual.TopPaths.Select(p => (p.Path, p.Conversions, p.Value)), "paths"),
            (expected.PathLengths.Select(p => (p.Bucket, p.Conversions, p.Value)), actual.PathLengths.Select(p => (p.Bucket, p.Conversions, p.Value)), "lengths"),
            (expected.TimeLags.Select(p => (p.Bucket, p.Conversions, p.Value)), actual.TimeLags.Select(p => (p.Bucket, p.Conversions, p.Value)), "lags"),
            (expected.Assists.Select(p => (p.Key, p.AssistedConversions, p.AssistedValue)), actual.Assists.Select(p => (p.Key, p.AssistedConversions, p.AssistedValue)), "assists"),
        })
        {
            var x = e.ToList();
            var y = a.ToList();
            Assert.Equal(x.Select(r => r.Item1), y.Select(r => r.Item1));
            AssertClose(x.Select(r => r.Item2).ToArray(), y.Select(r => r.Item2).ToArray(), $"{what} {part} conversions");
            AssertClose(x.Select(r => r.Item3).ToArray(), y.Select(r => r.Item3).ToArray(), $"{what} {part} values");
        }
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-9 * Math.Max(1, Math.Abs(expected[k])), $"{what}[{k}]: {expected[k]:R} against {actual[k]:R}");
        }
    }

    /// <summary>The CSV without rows whose event_id came earlier (the store drops them as duplicates).</summary>
    private static string Distinct(string csv)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return string.Join('\n', csv.Split('\n').Where((l, i) => i == 0 || l.Length == 0 || seen.Add(l.Split(',')[0])));
    }

    [StoreFact]
    public void TrickyIdentitiesAndTrafficSourcesGiveTheSameJourneysAndCredits()
    {
        using var store = Open();
        Import(store, Tricky);
        foreach (var grouping in new[] { ChannelGrouping.Default, ChannelGrouping.Parse(TermRules, ".yaml") })
        {
            AssertSameAsFile(store, Tricky, grouping);
        }
    }

    [StoreFact]
    public void UrlsThatDifferOnlyOutsideHostAndQueryShareASourceAndOddUrlsResolveAsFromTheFile()
    {
        var csv = Header + """

            t1,2026-03-01T09:00:00Z,,a1,touch,,,,,,,,https://shop.example/a?utm_source=news&utm_medium=email,,
            t2,2026-03-01T10:00:00Z,,a2,touch,,,,,,,,https://shop.example/b/c?utm_source=news&utm_medium=email,,
            t3,2026-03-01T11:00:00Z,,a3,touch,,,,,,,,https://shop.example/b#x?utm_source=news&utm_medium=cpc,,
            t4,2026-03-01T12:00:00Z,,a1,touch,,,,,,,,shop.example/a?utm_source=bing&utm_medium=cpc,,
            t5,2026-03-01T13:00:00Z,,a2,touch,,,,,,,,"?utm_source=x://y/z?utm_medium=cpc",,
            t6,2026-03-01T14:00:00Z,,a3,touch,,,,,,,,https://u:p@shop.example:8080/p?gclid=1,,
            t7,2026-03-01T15:00:00Z,,a1,touch,,,,,,,https://shop.example/,https://shop.example/q?fbclid=2,,
            t8,2026-03-01T16:00:00Z,,a2,touch,,,,,,,https://www.bing.com/,https://shöp.example/päth?ü=1,,
            t9,2026-03-01T17:00:00Z,,a3,touch,,,,,,,,https://shop.example,,
            c1,2026-03-02T09:00:00Z,,a1,conversion,,,,,,,,,purchase,10
            c2,2026-03-02T09:00:00Z,,a2,conversion,,,,,,,,,purchase,20
            c3,2026-03-02T09:00:00Z,,a3,conversion,,,,,,,,,purchase,30
            """;
        using var store = Open();
        Import(store, csv);
        AssertSameAsFile(store, csv, ChannelGrouping.Default);
    }

    [StoreFact]
    public void GeneratedEventsOverSeveralImportsGiveTheSameCreditsForEveryModelAndOption()
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 2000, Seed = 5 });
        var csv = writer.ToString();
        var lines = csv.Split('\n');
        using var store = Open();
        Import(store, string.Join('\n', lines.Take(lines.Length / 3)));
        AssertSameAsFile(store, string.Join('\n', lines.Take(lines.Length / 3)), ChannelGrouping.Default);
        Import(store, Header + "\n" + string.Join('\n', lines.Skip(lines.Length / 3)));
        AssertSameAsFile(store, csv, ChannelGrouping.Default);
    }

    [StoreFact]
    public void TheSnapshotIsRebuiltAfterAnImportAndKeptWhenNothingChanged()
    {
        using var store = Open();
        Import(store, Header + "\ne1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\ne2,2026-03-02T09:00:00Z,u1,,conversion,,,,,,,,,purchase,5\n");
        Assert.Equal(2, Resolved(store, ChannelGrouping.Default).Count);

        // Only duplicates: nothing changes.
        Import(store, Header + "\ne1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n");
        Assert.Equal(2, Resolved(store, ChannelGrouping.Default).Count);

        Import(store, Header + "\ne3,2026-03-03T09:00:00Z,u1,,conversion,,,,,,,,,purchase,7\n");
        var table = Resolved(store, ChannelGrouping.Default);
        Assert.Equal(3, table.Count);
        var set = JourneyBuilder.Build(table);
        Assert.Equal(12, set.TotalValue);
    }

    [StoreFact]
    public void AnEmptyStoreGivesAnEmptyTable()
    {
        using var store = Open();
        var table = Resolved(store, ChannelGrouping.Default);
        Assert.Equal(0, table.Count);
        Assert.Equal(0, JourneyBuilder.Build(table).Conversions);

        var batches = new List<JourneySet>();
        Assert.Equal(0, Assert.IsAssignableFrom<IResolvedEventSource>(store).ReadJourneys(ChannelGrouping.Default, new JourneyOptions(), batches.Add));
        Assert.Equal(0, Assert.Single(batches).Conversions);
    }

    [StoreFact]
    public void ManyPeopleStreamInSeveralBatchesOfWholePeople()
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 6000, Seed = 11 });
        var csv = writer.ToString();
        using var store = Import(csv);
        var all = JourneyBuilder.Build(Resolved(store, ChannelGrouping.Default));
        var batches = new List<JourneySet>();
        Assert.IsAssignableFrom<IResolvedEventSource>(store).ReadJourneys(ChannelGrouping.Default, new JourneyOptions(), batches.Add);
        Assert.True(batches.Count > 1, $"{batches.Count} batch(es) for {all.TouchTimes.Length:N0} touches");
        Assert.Equal(all.TouchTimes, batches.SelectMany(b => b.TouchTimes).ToArray());
        Assert.Equal(all.Values, batches.SelectMany(b => b.Values).ToArray());
        Assert.Equal(all.Conversions, batches.Sum(b => b.Conversions));
        Assert.Equal(all.NullStart.Length, batches.Sum(b => b.NullStart.Length));
    }

    [StoreFact]
    public void AReportWhoseConsumerFailsMidStreamStopsTheReadAndLeavesTheStoreReadable()
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 3000, Seed = 8 });
        using var store = Import(writer.ToString());
        var source = Assert.IsAssignableFrom<IResolvedEventSource>(store);
        var consumed = 0;
        var error = Assert.Throws<InvalidDataException>(() => JourneyPipeline.Run(
            (onBatch, stop) => source.ReadJourneys(ChannelGrouping.Default, new JourneyOptions(), onBatch, stop, batchTouches: 16),
            _ =>
            {
                if (++consumed == 3)
                {
                    throw new InvalidDataException("the report broke");
                }
            }));
        Assert.Equal("the report broke", error.Message);

        var batches = 0;
        Assert.Equal(store.CountEvents(), source.ReadJourneys(ChannelGrouping.Default, new JourneyOptions(), _ => batches++));
        Assert.True(batches >= 1);
    }

    [StoreFact]
    public void ConversionsWithoutATouchAreCreditedWholeToNoneByTheDataDrivenModels()
    {
        // c1 and c3 have no touch in their 30-day windows (a2 has none at all, a1's touch is too old).
        var csv = Header + """

            t1,2026-01-01T09:00:00Z,,a1,touch,Email,,,,,,,,,
            c1,2026-03-01T09:00:00Z,,a1,conversion,,,,,,,,,purchase,12.5
            t2,2026-03-02T09:00:00Z,,a1,touch,Display,,,,,,,,,
            t3,2026-03-03T09:00:00Z,,a1,touch,Email,,,,,,,,,
            c2,2026-03-04T09:00:00Z,,a1,conversion,,,,,,,,,purchase,40
            c3,2026-03-04T10:00:00Z,,a2,conversion,,,,,,,,,purchase,7
            t4,2026-03-05T09:00:00Z,,a3,touch,Display,,,,,,,,,
            """;
        using var store = Import(csv);
        var models = new[]
        {
            new ModelSpec(ModelKind.Markov) { Order = 1 },
            new ModelSpec(ModelKind.Markov) { Order = 2 },
            new ModelSpec(ModelKind.Markov) { Order = 3 },
            ModelSpec.Of(ModelKind.Shapley),
            ModelSpec.Of(ModelKind.LastTouch),
        };
        var accumulator = new AttributionAccumulator(models, Dimension.Channel);
        var source = Assert.IsAssignableFrom<IResolvedEventSource>(store);
        JourneyPipeline.Run((onBatch, stop) => source.ReadJourneys(ChannelGrouping.Default, new JourneyOptions(), onBatch, stop), accumulator.Add);
        foreach (var result in accumulator.Results())
        {
            Assert.Equal(new CreditRow("(none)", 2, 19.5), result.Get("(none)"));
            Assert.Equal(1, result.Get("Email").Conversions + result.Get("Display").Conversions, 12);
            Assert.Equal(40, result.Get("Email").Value + result.Get("Display").Value, 12);
        }
    }

    private IEventStore Import(string csv)
    {
        var store = Open();
        Import(store, csv);
        return store;
    }

    /// <summary>
    /// A store that stays open compacts its delta in the background: a full build beside the snapshot
    /// while imports, updates and reports go on, brought up to the last event and swapped in. Every
    /// report, during the build and after the swap, equals a full build of the events so far to the
    /// bit; a compaction overtaken by a full build is dropped.
    /// </summary>
    [StoreFact]
    public async Task CompactionsInTheBackgroundEqualAFullBuild()
    {
        var (header, rows) = ShuffledGeneratedRows(people: 400, seed: 11, salt: 0x3c6ef372u);
        using var opened = Open();
        var store = (Stores.Snapshot.IBackgroundCompaction)opened;
        store.CompactionTrigger.Share = 1;
        store.CompactionTrigger.Growth = 0;
        var at = 0;
        void ImportNext(int size)
        {
            var part = rows.Skip(at).Take(size).ToList();
            at += part.Count;
            Import(opened, header + "\n" + string.Join('\n', part));
        }

        void AssertSoFar() => AssertSameAsFile(opened, header + "\n" + string.Join('\n', rows.Take(at)), Core.Channels.ChannelGrouping.Default);

        ImportNext(rows.Count / 3);
        Assert.Equal(Stores.Snapshot.SnapshotRefresh.Full, ((IResolvedEventSource)opened).EnsureSnapshot());
        store.CompactionTrigger.Share = 0;
        ImportNext(7);
        Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, ((IResolvedEventSource)opened).EnsureSnapshot());
        Assert.Null(store.CompactionTrigger.Latest); // one update: a store that may not stay open does not compact
        store.CompactionTrigger.Share = 1;
        ImportNext(7);
        Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, ((IResolvedEventSource)opened).EnsureSnapshot());

        var overtake = false;
        store.CompactionTrigger.BeforeSwap = () =>
        {
            // Meanwhile: an update of the snapshot being replaced, a report of it, events left for
            // after the swap, and once a full build that overtakes the compaction. The share goes back
            // up, so that only the update before each round's await starts a compaction.
            store.CompactionTrigger.Share = 1;
            ImportNext(25);
            Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, ((IResolvedEventSource)opened).EnsureSnapshot());
            AssertSoFar();
            ImportNext(40);
            if (overtake)
            {
                store.BuildFully();
            }
        };

        var builds = new HashSet<string>();
        foreach (var round in Enumerable.Range(0, 4))
        {
            overtake = round == 2;
            store.CompactionTrigger.Share = 0;
            ImportNext(11);
            Assert.Equal(Stores.Snapshot.SnapshotRefresh.Incremental, ((IResolvedEventSource)opened).EnsureSnapshot());
            var compaction = store.CompactionTrigger.Latest;
            Assert.NotNull(compaction);
            var swapped = await compaction!;
            Assert.Equal(!overtake, swapped);
            Assert.True(builds.Add(store.CurrentBuild()), "a compaction or full build writes a new build id");
            // The swap brought the new tables up to the last event (as the overtaking build did): a
            // report that waited for it reads every event acknowledged before it.
            Assert.Equal(Stores.Snapshot.SnapshotRefresh.Current, ((IResolvedEventSource)opened).EnsureSnapshot());
            AssertSoFar();
            Assert.Equal(0, store.TablesBeside());
        }

        Assert.True(at < rows.Count);
        ImportNext(rows.Count);
        ((IResolvedEventSource)opened).EnsureSnapshot();
        AssertSoFar();
    }

    /// <summary>A generated event file's header, and its rows in an order of their text's hashes (imports out of time order).</summary>
    protected static (string Header, List<string> Rows) ShuffledGeneratedRows(int people, int seed, uint salt)
    {
        var writer = new StringWriter();
        Core.Generation.EventGenerator.Write(writer, new Core.Generation.GeneratorOptions { People = people, Seed = seed });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0], lines.Skip(1).OrderBy(l => (uint)l.GetHashCode(StringComparison.Ordinal) ^ salt).ToList());
    }

    /// <summary>The store's resolved read (the backend under test must implement it).</summary>
    protected static EventTable Resolved(IEventStore store, ChannelGrouping grouping) =>
        Assert.IsAssignableFrom<IResolvedEventSource>(store).ReadResolved(grouping);

    protected static void Import(IEventStore store, string csv)
    {
        using var import = store.BeginImport();
        Add(import, csv);
        import.Commit();
    }

    /// <summary>Adds CSV text to an import without committing it.</summary>
    protected static void Add(IStoreImport import, string csv) => CsvEventReader.Read(new StringReader(csv), new Forward(import));

    protected static void AssertSameAsFile(IEventStore store, string csv, ChannelGrouping grouping)
    {
        var fromFile = new EventTableBuilder(grouping);
        CsvEventReader.Read(new StringReader(csv), fromFile);
        var file = fromFile.Build();
        var resolved = Resolved(store, grouping);
        Assert.Equal(file.Count, resolved.Count);

        var models = ModelNames.RuleBased.Select(ModelSpec.Of)
            .Append(ModelSpec.Of(ModelKind.Markov))
            .Append(new ModelSpec(ModelKind.Markov) { Order = 2 })
            .Append(ModelSpec.Of(ModelKind.Shapley))
            .ToList();
        var optionSets = new[]
        {
            new JourneyOptions(),
            new JourneyOptions { ResetOnConversion = true, Lookback = TimeSpan.FromDays(3) },
            new JourneyOptions { ConversionName = "purchase", FromTicks = new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc).Ticks },
        };
        foreach (var options in optionSets)
        {
            var a = JourneyBuilder.Build(file, options);
            var b = JourneyBuilder.Build(resolved, options);
            Assert.Equal(a.Start, b.Start);
            Assert.Equal(a.Length, b.Length);
            Assert.Equal(a.Values, b.Values);
            Assert.Equal(a.NullStart, b.NullStart);
            Assert.Equal(a.TouchTimes, b.TouchTimes);
            foreach (var dimension in new[] { Dimension.Channel, Dimension.Source, Dimension.Medium, Dimension.Campaign })
            {
                var x = AttributionEngine.Run(a, models, dimension);
                var y = AttributionEngine.Run(b, models, dimension);

                // The journeys streamed from the store in small batches (several even for these few
                // events) and folded as they come, on a second thread as a report runs them; the path
                // table and the path report from the same stream.
                var accumulator = new AttributionAccumulator(models, dimension);
                var paths = new PathTableAccumulator(dimension);
                var report = new PathReportAccumulator(100, dimension);
                var batches = 0;
                var source = Assert.IsAssignableFrom<IResolvedEventSource>(store);
                var streamed = JourneyPipeline.Run(
                    (onBatch, stop) => source.ReadJourneys(grouping, options, onBatch, stop, batchTouches: 4),
                    batch =>
                    {
                        batches++;
                        accumulator.Add(batch);
                        paths.Add(batch);
                        report.Add(batch);
                    });
                Assert.Equal(file.Count, streamed);
                Assert.True(batches > 1 || a.TouchTimes.Length <= 4, $"{batches} batch for {a.TouchTimes.Length} touches");
                AssertSame(PathTableJourneys.ToPathTable(a, dimension), paths.Build());
                AssertSame(PathReport.Build(a, 100, dimension), report.Build());
                var z = accumulator.Results();
                for (var m = 0; m < models.Count; m++)
                {
                    Assert.Equal(x[m].Rows(), y[m].Rows());
                    Assert.Equal(x[m].Keys, y[m].Keys);
                    Assert.Equal(x[m].Rows(), z[m].Rows());
                    Assert.Equal(x[m].Keys, z[m].Keys);
                }
            }
        }
    }

    private static void AssertSame(Core.Paths.PathTable expected, Core.Paths.PathTable actual)
    {
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(Enumerable.Range(0, expected.Count).Select(expected.PathText), Enumerable.Range(0, actual.Count).Select(actual.PathText));
        Assert.Equal(expected.Conversions, actual.Conversions);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Nulls, actual.Nulls);
    }

    private static void AssertSame(PathReport expected, PathReport actual)
    {
        Assert.Equal(expected.TopPaths, actual.TopPaths);
        Assert.Equal(expected.PathLengths, actual.PathLengths);
        Assert.Equal(expected.TimeLags, actual.TimeLags);
        Assert.Equal(expected.Assists, actual.Assists);
        Assert.Equal(expected.TotalConversions, actual.TotalConversions);
        Assert.Equal(expected.TotalValue, actual.TotalValue);
    }

    private sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
