using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Stores.ClickHouse;

namespace OpenAttribution.Stores.Tests.ClickHouse;

/// <summary>
/// The store contract and the ClickHouse specifics (sharding by person, pushed-down reports equal to
/// DuckDB's) against the cluster of <see cref="ClickHouseTestServer"/>, each test in fresh databases.
/// </summary>
[ClickHouseFact]
public sealed class ClickHouseEventStoreTests : EventStoreContract, IDisposable
{
    private readonly List<string> _databases = [];

    protected override IEventStore CreateStore() => new ClickHouseEventStore(NewDatabase());

    protected override bool ReplacesCosts => false;

    public void Dispose()
    {
        foreach (var uri in _databases)
        {
            ClickHouseTestServer.Drop(uri);
        }
    }

    [Theory]
    [InlineData("clickhouse://h1:8123,h2:9123/shop?cluster=big", "ClickHouse h1:8123,h2:9123/shop (cluster big)")]
    [InlineData("clickhouse://ann:topsecret@h1/shop", "ClickHouse ann@h1:8123/shop (cluster oa)")]
    public void AUriNamesTheShardsTheDatabaseAndTheClusterButNeverThePassword(string uri, string description)
    {
        var location = ClickHouseLocation.Parse(uri);
        Assert.Equal(description, location.Description);
        Assert.DoesNotContain("topsecret", location.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clickhouse://h1:99999/db")]
    [InlineData("clickhouse://h1/drop%20table")]
    [InlineData("clickhouse://h1/db?colour=blue")]
    [InlineData("clickhouse://h1,/db")]
    public void BadUrisAreRejectedNamingThePart(string uri) =>
        Assert.Throws<ArgumentException>(() => ClickHouseLocation.Parse(uri));

    [ClickHouseFact]
    public void EveryPersonsEventsLiveOnOneShardEvenWhenALaterImportLinksTheirDevice()
    {
        var uri = NewDatabase();
        using var store = new ClickHouseEventStore(uri);
        var persons = Enumerable.Range(0, 40).ToList();
        // First import: anonymous touches only, each device a person of its own (spread over the shards).
        Import(store, Header + "\n" + string.Join('\n', persons.Select(p => $"t{p},2026-03-01T09:00:00Z,,dev{p},touch,Email,,,,,,,,,")));
        // Second import: the devices are linked to users, whose own events land on the users' shards.
        Import(store, Header + "\n" + string.Join('\n', persons.Select(p =>
            $"i{p},2026-03-02T09:00:00Z,user{p},dev{p},identify,,,,,,,,,,\nc{p},2026-03-03T09:00:00Z,user{p},,conversion,,,,,,,,,purchase,10")));
        // Third import: an earlier link of dev0 to another user wins and moves dev0's touch again.
        Import(store, Header + "\n" + "x0,2026-02-01T09:00:00Z,other,dev0,identify,,,,,,,,,,");
        Assert.Equal(40 + 80 + 1, store.CountEvents());

        var shardsPerPerson = ShardsPerPerson(uri);
        Assert.All(shardsPerPerson, p => Assert.Equal(1, p.Shards));
        Assert.Contains(shardsPerPerson, p => p.Person == "other");
        Assert.DoesNotContain(shardsPerPerson, p => p.Person.StartsWith("dev", StringComparison.Ordinal));

        var fromStore = Pushdown(store, [ModelSpec.Of(ModelKind.LastTouch)], new JourneyOptions(), Dimension.Channel)[0];
        Assert.Equal(39, fromStore.Get("Email").Conversions, 9);
        Assert.Equal(1, fromStore.Get("(none)").Conversions, 9);
    }

    [ClickHouseFact]
    public void EveryModelAndOptionPushedDownGivesTheNumbersOfDuckDb()
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 3000, Seed = 5 });
        var csv = writer.ToString();
        var lines = csv.Split('\n');
        using var clickHouse = new ClickHouseEventStore(NewDatabase());
        var duckFile = Path.Combine(Path.GetTempPath(), $"oa-ch-{Guid.NewGuid():N}.duckdb");
        try
        {
            using var duck = new OpenAttribution.Stores.DuckDb.DuckDbEventStore(duckFile);
            // Two overlapping imports, so links and re-sharding across imports are exercised too.
            foreach (var part in new[] { string.Join('\n', lines.Take(lines.Length / 2)), csv })
            {
                Import(clickHouse, part);
                Import(duck, part);
            }

            var fromDuck = new EventTableBuilder(deduplicate: false);
            duck.ReadEvents(fromDuck);
            var events = fromDuck.Build();
            var models = ModelNames.RuleBased.Select(ModelSpec.Of)
                .Append(new ModelSpec(ModelKind.PositionBased) { FirstShare = 0.3, LastShare = 0.5 })
                .Append(new ModelSpec(ModelKind.TimeDecay) { HalfLife = TimeSpan.FromDays(2) })
                .Append(ModelSpec.Of(ModelKind.Markov)).Append(new ModelSpec(ModelKind.Markov) { Order = 2 }).Append(ModelSpec.Of(ModelKind.Shapley))
                .ToList();
            var march = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc).Ticks;
            var options = new[]
            {
                new JourneyOptions(),
                new JourneyOptions { ResetOnConversion = true, Lookback = TimeSpan.FromDays(7), ConversionName = "purchase" },
                new JourneyOptions { Lookback = TimeSpan.FromHours(36), FromTicks = march, ToTicks = march + TimeSpan.FromDays(20).Ticks },
                new JourneyOptions { ConversionName = "no-such-conversion" },
            };
            foreach (var option in options)
            {
                foreach (var dimension in new[] { Dimension.Channel, Dimension.Campaign, Dimension.Source })
                {
                    var expected = AttributionEngine.Run(JourneyBuilder.Build(events, option), models, dimension);
                    var actual = Pushdown(clickHouse, models, option, dimension);
                    for (var m = 0; m < models.Count; m++)
                    {
                        AssertSameCredit(expected[m], actual[m], $"{models[m].Name} by {dimension} with {option}");
                    }
                }
            }
        }
        finally
        {
            File.Delete(duckFile);
        }
    }

    [ClickHouseFact]
    public void RowsAlreadySentToStagingStayInvisibleUntilTheCommit()
    {
        var uri = NewDatabase();
        using var store = new ClickHouseEventStore(uri);
        Import(store, Header + "\n" + "e0,2026-03-01T09:00:00Z,u0,,touch,Email,,,,,,,,,\n");
        // More than one 8 MB batch, so rows reach the staging table before the (never made) commit:
        // as when the importing process is killed.
        var import = store.BeginImport();
        var padding = new string('p', 200);
        var rows = Enumerable.Range(1, 60_000).Select(i => $"e{i},2026-03-01T09:00:00Z,u{i},,touch,Email,,,,{padding},,,,,");
        CsvEventReader.Read(new StringReader(Header + "\n" + string.Join('\n', rows)), new Forward(import));
        Assert.Equal(1, store.CountEvents());
        Assert.Equal(1, store.ReadEvents(new EventTableBuilder()));
        import.Dispose();
        Assert.Equal(1, store.CountEvents());
        Assert.Equal(new ImportCounts(1, 1), Import(store, Header + "\n" + "e0,2026-03-01T09:00:00Z,u0,,touch,Email,,,,,,,,,\ne1,2026-03-01T09:00:00Z,u1,,touch,Email,,,,,,,,,\n"));
    }

    [ClickHouseFact]
    public void CustomChannelRulesApplyToPushedDownReports()
    {
        using var store = new ClickHouseEventStore(NewDatabase());
        Import(store, Header + "\n" +
            "e1,2026-03-01T09:00:00Z,u1,,touch,,newsletter,email,spring,,,,,,\n" +
            "e2,2026-03-02T09:00:00Z,u1,,conversion,,,,,,,,,purchase,30\n");
        var grouping = ChannelGrouping.Parse("""{"extends": "default", "rules": [{"channel": "Newsletters", "field": "source", "equals": "newsletter"}]}""", ".json");
        var result = store.Run(new AttributionRequest([ModelSpec.Of(ModelKind.Linear)], Dimension.Channel, new JourneyOptions(), grouping))[0];
        Assert.Equal(1, result.Get("Newsletters").Conversions, 9);
        Assert.Equal(30, result.Get("Newsletters").Value, 9);
    }

    [ClickHouseFact]
    public void TrafficFieldsGroupLikeTheInMemoryPath()
    {
        // Click ids of different networks, a self-referral (same host as the landing page) against a
        // referral, and a channel rule on content must all stay apart when grouped in ClickHouse.
        var csv = Header + "\n" + string.Join('\n',
            "a1,2026-03-01T09:00:00Z,u1,,touch,,,,,,,,https://shop.example/p?gclid=Cj0KAAA,,",
            "a2,2026-03-01T09:00:00Z,u2,,touch,,,,,,,,https://shop.example/q?msclkid=BBB,,",
            "a3,2026-03-01T09:00:00Z,u3,,touch,,,,,,,https://shop.example/,https://shop.example/x?a=1,,",
            "a4,2026-03-01T09:00:00Z,u4,,touch,,,,,,,https://blog.example/,https://shop.example/x?a=1,,",
            "a5,2026-03-01T09:00:00Z,u5,,touch,,,,,,,https://blog.example/,https://other.example/x?a=1,,",
            "a6,2026-03-01T09:00:00Z,u6,,touch,,news,email,,vip,,,,,",
            "a7,2026-03-01T09:00:00Z,u7,,touch,,news,email,,basic,,,,,",
            "a8,2026-03-01T09:00:00Z,u8,,touch,,,,,,,,https://shop.example/?utm_source=news&utm_medium=email&utm_content=vip,,")
            + "\n" + string.Join('\n', Enumerable.Range(1, 8).Select(i => $"c{i},2026-03-02T09:00:00Z,u{i},,conversion,,,,,,,,,purchase,{i}"));
        using var store = new ClickHouseEventStore(NewDatabase());
        Import(store, csv);
        var grouping = ChannelGrouping.Parse("""{"extends": "default", "rules": [{"channel": "VIP Email", "field": "content", "equals": "vip"}]}""", ".json");
        var fromFile = new EventTableBuilder(grouping);
        CsvEventReader.Read(new StringReader(csv), fromFile);
        var models = new List<ModelSpec> { ModelSpec.Of(ModelKind.LastTouch), ModelSpec.Of(ModelKind.Markov) };
        foreach (var dimension in new[] { Dimension.Channel, Dimension.Source, Dimension.Medium })
        {
            var expected = AttributionEngine.Run(JourneyBuilder.Build(fromFile.Build()), models, dimension);
            var actual = store.Run(new AttributionRequest(models, dimension, new JourneyOptions(), grouping));
            for (var m = 0; m < models.Count; m++)
            {
                AssertSameCredit(expected[m], actual[m], $"{models[m].Name} by {dimension}");
            }
        }

        var sources = store.Run(new AttributionRequest([ModelSpec.Of(ModelKind.LastTouch)], Dimension.Source, new JourneyOptions(), grouping))[0];
        Assert.Equal(1, sources.Get("google").Conversions, 9);
        Assert.Equal(1, sources.Get("bing").Conversions, 9);
        Assert.Equal(2, sources.Get("bing").Value, 9);
    }

    [ClickHouseFact]
    public void CustomRuleModelsAreLeftToDotNet()
    {
        using var store = new ClickHouseEventStore(NewDatabase());
        var custom = CustomModelReader.Parse("base: linear\nrules:\n  - { channel: Email, factor: 2 }\n");
        Assert.False(store.CanRun([custom]));
        Assert.True(store.CanRun([ModelSpec.Of(ModelKind.Markov), ModelSpec.Of(ModelKind.Linear)]));
        // Callers ask CanRun first; one that does not is refused, naming the model.
        var error = Assert.Throws<ArgumentException>(() => store.Run(new AttributionRequest([custom], Dimension.Channel, new JourneyOptions(), ChannelGrouping.Default)));
        Assert.Contains($"'{custom.Name}' does not run in ClickHouse", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<AttributionResult> Pushdown(ClickHouseEventStore store, IReadOnlyList<ModelSpec> models, JourneyOptions options, Dimension dimension) =>
        store.Run(new AttributionRequest(models, dimension, options, ChannelGrouping.Default));

    private static void AssertSameCredit(AttributionResult expected, AttributionResult actual, string what)
    {
        var keys = expected.Rows().Select(r => r.Key).Union(actual.Rows().Select(r => r.Key)).ToList();
        foreach (var key in keys)
        {
            var e = expected.Get(key);
            var a = actual.Get(key);
            Assert.True(Close(e.Conversions, a.Conversions) && Close(e.Value, a.Value), $"{what}: {key} expected {e} but got {a}");
        }

        static bool Close(double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
    }

    private static List<(string Person, int Shards)> ShardsPerPerson(string uri)
    {
        var location = ClickHouseLocation.Parse(uri);
        using var http = new HttpClient();
        var shardsOf = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var n = 0; n < location.Nodes.Count; n++)
        {
            using var content = new StringContent($"SELECT DISTINCT person FROM {location.Database}.events_local");
            using var response = http.PostAsync(location.Nodes[n], content).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            foreach (var person in response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                (shardsOf.TryGetValue(person, out var set) ? set : shardsOf[person] = []).Add(n);
            }
        }

        return shardsOf.Select(p => (p.Key, p.Value.Count)).ToList();
    }

    private string NewDatabase()
    {
        var uri = ClickHouseTestServer.WithDatabase(ClickHouseTestServer.Uri, "oa_t_" + Guid.NewGuid().ToString("N")[..12]);
        _databases.Add(uri);
        return uri;
    }
}
