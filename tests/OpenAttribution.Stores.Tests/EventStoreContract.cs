using System.Globalization;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Stores.Tests;

/// <summary>
/// The behaviour every store must have. Each backend's test class derives from this and creates a
/// fresh, empty store per test.
/// </summary>
public abstract class EventStoreContract
{
    protected const string Header = "event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,content,term,referrer,url,conversion,value";

    /// <summary>A new, empty store of the backend under test.</summary>
    protected abstract IEventStore CreateStore();

    /// <summary>False for a store that keeps costs append-only (ClickHouse): replacing them is refused.</summary>
    protected virtual bool ReplacesCosts => true;

    /// <summary>Imports CSV text as one file; returns the counts.</summary>
    protected static ImportCounts Import(IEventStore store, string csv)
    {
        using var import = store.BeginImport();
        CsvEventReader.Read(new StringReader(csv), new Forward(import));
        return import.Commit();
    }

    protected static EventTableBuilder ReadBack(IEventStore store)
    {
        var builder = new EventTableBuilder();
        store.ReadEvents(builder);
        return builder;
    }

    [StoreFact]
    public void StoredEventsReadBackWithEveryFieldInInputOrder()
    {
        using var store = CreateStore();
        var csv = Header + "\n" +
                  "e1,2026-03-01T09:30:00.1234567Z,,a1,touch,,google,cpc,brand,ad1,shoes,https://www.google.com/,https://shop.example/?x=1,,\n" +
                  "e2,2026-03-01T09:30:00Z,u1,a1,identify,,,,,,,,,,\n" +
                  ",2026-03-02T10:00:00+02:00,u1,,conversion,,,,,,,,,purchase,-12.5\n" +
                  "e4,2026-03-01T09:00:00Z,,a2,touch,Email,,,,,,,,,\n";
        var counts = Import(store, csv);
        Assert.Equal(new ImportCounts(4, 0), counts);
        Assert.Equal(4, store.CountEvents());

        var rows = new List<string>();
        store.ReadEvents(new Capture(rows));
        Assert.Equal(
            [
                "e1|639079542001234567||a1|Touch||google|cpc|brand|ad1|shoes|https://www.google.com/|https://shop.example/?x=1||0",
                "e2|639079542000000000|u1|a1|Identify||||||||||0",
                "|639080352000000000|u1||Conversion|||||||||purchase|-12.5",
                "e4|639079524000000000||a2|Touch|Email|||||||||0",
            ],
            rows);
    }

    [StoreFact]
    public void DuplicatesWithinAFileAndAcrossImportsAreDroppedAndCounted()
    {
        using var store = CreateStore();
        var first = Import(store, Header + "\n" +
            "e1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n" +
            "e1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n" +
            ",2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n" +
            ",2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n");
        Assert.Equal(new ImportCounts(3, 1), first);

        var second = Import(store, Header + "\n" +
            "e1,2026-03-05T09:00:00Z,u1,,touch,Display,,,,,,,,,\n" +
            "e2,2026-03-01T10:00:00Z,u1,,conversion,,,,,,,,,purchase,5\n");
        Assert.Equal(new ImportCounts(1, 1), second);
        Assert.Equal(4, store.CountEvents());
        Assert.DoesNotContain("Display", ReadBack(store).Build().Names.Channels.Names);
    }

    [StoreFact]
    public void AnImportThatIsNotCommittedLeavesTheStoreAsItWas()
    {
        using var store = CreateStore();
        Import(store, Header + "\n" + "e1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n");
        using (var import = store.BeginImport())
        {
            CsvEventReader.Read(new StringReader(Header + "\n" + "e2,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n"), new Forward(import));
        }

        Assert.Equal(1, store.CountEvents());
        Assert.Equal(new ImportCounts(1, 0), Import(store, Header + "\n" + "e2,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n"));
    }

    [StoreFact]
    public void JourneysAndEveryModelFromTheStoreEqualThoseFromTheFile()
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 1500, Seed = 11 });
        var csv = writer.ToString();
        var lines = csv.Split('\n');
        using var store = CreateStore();
        // Two imports (the second overlapping the first) must change nothing.
        Import(store, string.Join('\n', lines.Take(lines.Length / 2)));
        var again = Import(store, csv);
        Assert.Equal(lines.Length / 2 - 1, again.Duplicates);

        var fromFile = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(csv), fromFile);
        var fromStore = ReadBack(store);
        Assert.Equal(fromFile.Accepted, fromStore.Accepted);

        var models = ModelNames.RuleBased.Select(ModelSpec.Of).Append(ModelSpec.Of(ModelKind.Markov)).Append(ModelSpec.Of(ModelKind.Shapley)).ToList();
        foreach (var options in new[] { new JourneyOptions(), new JourneyOptions { ResetOnConversion = true, Lookback = TimeSpan.FromDays(7), ConversionName = "purchase" } })
        {
            var a = AttributionEngine.Run(JourneyBuilder.Build(fromFile.Build(), options), models, Dimension.Campaign);
            var b = AttributionEngine.Run(JourneyBuilder.Build(fromStore.Build(), options), models, Dimension.Campaign);
            for (var m = 0; m < models.Count; m++)
            {
                Assert.Equal(a[m].Rows(), b[m].Rows());
            }
        }
    }

    [StoreFact]
    public void CostsAreStoredAndReadInOrder()
    {
        using var store = CreateStore();
        store.ImportCosts([
            new CostRow(new DateOnly(2026, 3, 2), "Paid Search", "brand", 120.5, "EUR"),
            new CostRow(new DateOnly(2026, 3, 1), "Paid Search", null, 80, "EUR"),
        ]);
        store.ImportCosts([new CostRow(new DateOnly(2026, 3, 1), "Display", "banner", 10, "EUR")]);
        Assert.Equal(
            [
                new CostRow(new DateOnly(2026, 3, 1), "Display", "banner", 10, "EUR"),
                new CostRow(new DateOnly(2026, 3, 1), "Paid Search", null, 80, "EUR"),
                new CostRow(new DateOnly(2026, 3, 2), "Paid Search", "brand", 120.5, "EUR"),
            ],
            store.ReadCosts());
    }

    [StoreFact]
    public void ReplacingCostsDeletesTheDatesRangeAndAddsTheRowsInOneGo()
    {
        using var store = CreateStore();
        var day = (int d) => new DateOnly(2026, 3, d);
        store.ImportCosts([
            new CostRow(day(1), "Paid Search", null, 80, "EUR"),
            new CostRow(day(2), "Paid Search", "brand", 120.5, "EUR"),
            new CostRow(day(3), "Display", "banner", 10, "EUR"),
        ]);
        if (!ReplacesCosts)
        {
            Assert.Throws<NotSupportedException>(() => store.ReplaceCosts(day(2), day(2), []));
            return;
        }

        var replaced = store.ReplaceCosts(day(2), day(3), [new CostRow(day(2), "Paid Search", "brand", 99, "USD")]);
        var afterReplace = store.ReadCosts();
        var deletedFrom = store.ReplaceCosts(day(2), null, []);
        var afterDelete = store.ReadCosts();
        var deletedAll = store.ReplaceCosts(null, null, []);

        Assert.Equal(2, replaced);
        Assert.Equal([new CostRow(day(1), "Paid Search", null, 80, "EUR"), new CostRow(day(2), "Paid Search", "brand", 99, "USD")], afterReplace);
        Assert.Equal(1, deletedFrom);
        Assert.Equal([new CostRow(day(1), "Paid Search", null, 80, "EUR")], afterDelete);
        Assert.Equal(1, deletedAll);
        Assert.Empty(store.ReadCosts());
    }

    [StoreFact]
    public void AnEmptyStoreReadsNoEvents()
    {
        using var store = CreateStore();
        Assert.Equal(0, store.ReadEvents(new EventTableBuilder()));
        Assert.Equal(0, store.CountEvents());
        Assert.Empty(store.ReadCosts());
    }

    /// <summary>Forwards a reader's accepted rows to an import.</summary>
    protected sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(InputError error) => throw new InvalidOperationException(error.ToString());
    }

    private sealed class Capture(List<string> rows) : IEventSink
    {
        public void Accept(in EventRow r) => rows.Add(string.Join('|',
            r.EventId.ToString(), r.TimestampTicks.ToString(CultureInfo.InvariantCulture), r.UserId.ToString(), r.AnonymousId.ToString(), r.Type.ToString(),
            r.Channel.ToString(), r.Source.ToString(), r.Medium.ToString(), r.Campaign.ToString(), r.Content.ToString(), r.Term.ToString(),
            r.Referrer.ToString(), r.Url.ToString(), r.Conversion.ToString(), r.Value.ToString(CultureInfo.InvariantCulture)));

        public void Reject(InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
