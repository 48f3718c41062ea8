using System.Net;
using System.Text;
using System.Text.Json;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

public sealed class ReportsTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private readonly ServerFactory _factory = server.Factory;

    private async Task<HttpClient> WorkspaceWithTwoJourneys()
    {
        var ws = _factory.CreateWorkspace();
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        return _factory.ClientWithKey(ws.ReadKey);
    }

    [Fact]
    public async Task AttributionCreditsTheChannelsGroupedFromUtmParameters()
    {
        var client = await WorkspaceWithTwoJourneys();

        var json = await Json.ReadAsync(await client.GetAsync("/v1/reports/attribution?model=linear&by=channel&lookback=30d"));

        Assert.Equal("linear", json.GetProperty("model").GetString());
        Assert.Equal("channel", json.GetProperty("by").GetString());
        var rows = json.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("conversions").GetDouble(), r.GetProperty("value").GetDouble())).ToList();
        Assert.Equal([("Email", 1d, 100d), ("Paid Search", 1d, 50d)], rows);
    }

    [Fact]
    public async Task AttributionByCampaignWithADateRange()
    {
        var client = await WorkspaceWithTwoJourneys();

        var json = await Json.ReadAsync(await client.GetAsync("/v1/reports/attribution?by=campaign&from=2026-03-03&to=2026-03-31"));

        var row = Assert.Single(json.GetProperty("rows").EnumerateArray());
        Assert.Equal("brand", row.GetProperty("key").GetString());
    }

    [Fact]
    public async Task CompareGivesRowsPerModel()
    {
        var client = await WorkspaceWithTwoJourneys();

        var json = await Json.ReadAsync(await client.GetAsync("/v1/reports/compare?models=first-touch,markov,shapley"));

        Assert.Equal(["first-touch", "markov", "shapley"], json.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        var rows = json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(["first-touch", "markov", "shapley"], m =>
            Assert.Equal(2, rows.Where(r => r.GetProperty("model").GetString() == m).Sum(r => r.GetProperty("conversions").GetDouble()), 6));
    }

    [Fact]
    public async Task ARefundLowersTheValueOfEveryModelAndBreaksNoneOfThem()
    {
        // One refund of 500 used to make Markov and Shapley a 400 for the whole workspace (and so the
        // default dashboard), blaming the model.
        var ws = _factory.CreateWorkspace();
        var write = _factory.ClientWithKey(ws.WriteKey);
        (await write.PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        (await write.PostAsync("/v1/events", Some.Array(Some.Conversion("b", "04", -500)))).EnsureSuccessStatusCode();
        var models = new[] { "first-touch", "last-touch", "linear", "position-based", "time-decay", "markov", "shapley" };

        var response = await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/compare?models=" + string.Join(",", models));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await Json.ReadAsync(response)).GetProperty("rows").EnumerateArray().ToList();
        Assert.All(models, m =>
        {
            var mine = rows.Where(r => r.GetProperty("model").GetString() == m).ToList();
            Assert.Equal(3, mine.Sum(r => r.GetProperty("conversions").GetDouble()), 6);
            Assert.Equal(100 + 50 - 500, mine.Sum(r => r.GetProperty("value").GetDouble()), 6);
        });
    }

    /// <summary>
    /// The server keeps each report and brings it up to date with what changed; asked for again after
    /// each batch (new people, a device linked to a user with its history, a late touch, new campaigns
    /// and a refund), it equals the same models folded in memory over every event posted so far.
    /// </summary>
    [Fact]
    public async Task AReportAskedForAgainAfterEachBatchEqualsTheModelsOverEveryEventSoFar()
    {
        var ws = _factory.CreateWorkspace();
        var write = _factory.ClientWithKey(ws.WriteKey);
        var read = _factory.ClientWithKey(ws.ReadKey);
        static string Identify(string anonymousId, string userId, string day) =>
            $$"""{"timestamp":"2026-03-{{day}}T10:00:00Z","anonymous_id":"{{anonymousId}}","user_id":"{{userId}}","type":"identify"}""";
        string[][] batches =
        [
            [Some.Touch("a", "01", source: "google", medium: "cpc", campaign: "brand"), Some.Conversion("a", "02", 100),
             Some.Touch("b", "03", "https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"), Some.Conversion("b", "04", 50),
             Some.Touch("c", "05", source: "facebook", medium: "paid_social", campaign: "spring"), Identify("d", "u1", "05"), Some.Conversion("d", "06", 30)],
            [Identify("c", "u1", "05"), Some.Conversion("c", "07", 20), Some.Touch("a", "01", source: "bing", medium: "cpc", campaign: "late")],
            [Some.Touch("e", "08", source: "tiktok", medium: "paid_social", campaign: "summer"), Some.Conversion("e", "09", 12.5),
             Some.Conversion("b", "10", -50, name: "refund"), Some.Touch("a", "11", source: "google", medium: "cpc", campaign: "brand"), Some.Conversion("a", "12", 7)],
            [],
        ];
        const string Models = "last-touch,first-touch,last-non-direct,linear,time-decay,position-based,markov,shapley";
        var posted = new List<string>();
        foreach (var batch in batches)
        {
            if (batch.Length > 0)
            {
                (await write.PostAsync("/v1/events", Some.Array(batch))).EnsureSuccessStatusCode();
                posted.AddRange(batch);
            }

            var builder = new OpenAttribution.Core.Events.EventTableBuilder(OpenAttribution.Core.Channels.ChannelGrouping.Default);
            OpenAttribution.Core.Events.JsonLinesEventReader.Read(new StringReader(string.Join("\n", posted)), builder);
            var specs = Models.Split(',').Select(name => OpenAttribution.Core.Options.ReportOptionParser.Model(name, null, null, 1)).ToList();
            var expected = OpenAttribution.Core.Models.AttributionEngine.Run(
                OpenAttribution.Core.Journeys.JourneyBuilder.Build(builder.Build()), specs, OpenAttribution.Core.Journeys.Dimension.Campaign);
            foreach (var _ in new[] { 1, 2 })
            {
                var json = await Json.ReadAsync(await read.GetAsync($"/v1/reports/compare?models={Models}&by=campaign"));
                var rows = json.GetProperty("rows").EnumerateArray().ToList();
                for (var m = 0; m < specs.Count; m++)
                {
                    var mine = rows.Where(r => r.GetProperty("model").GetString() == specs[m].Name).ToList();
                    Assert.Equal(expected[m].Rows().Select(r => r.Key).Order(StringComparer.Ordinal), mine.Select(r => r.GetProperty("key").GetString()!).Order(StringComparer.Ordinal));
                    foreach (var row in mine)
                    {
                        var want = expected[m].Get(row.GetProperty("key").GetString()!);
                        Assert.Equal(want.Conversions, row.GetProperty("conversions").GetDouble(), 9);
                        Assert.Equal(want.Value, row.GetProperty("value").GetDouble(), 9);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task PathsGivesTopPathsAndHistograms()
    {
        var client = await WorkspaceWithTwoJourneys();

        var json = await Json.ReadAsync(await client.GetAsync("/v1/reports/paths?top=1"));

        Assert.Single(json.GetProperty("paths").EnumerateArray());
        Assert.Equal(2, json.GetProperty("total").GetProperty("conversions").GetDouble());
        Assert.Equal(2, json.GetProperty("path_lengths").EnumerateArray().Single().GetProperty("conversions").GetDouble());
        Assert.Equal(2, json.GetProperty("time_lags").EnumerateArray().Sum(b => b.GetProperty("conversions").GetDouble()));
    }

    [Fact]
    public async Task ConversionNameFiltersConversions()
    {
        var ws = _factory.CreateWorkspace();
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.Array(
            Some.Touch("a", "01", source: "google", medium: "cpc"),
            Some.Conversion("a", "02", 10, name: "signup"),
            Some.Conversion("a", "03", 99, name: "purchase")))).EnsureSuccessStatusCode();

        var json = await Json.ReadAsync(await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/attribution?conversion=signup"));

        Assert.Equal(10, json.GetProperty("total").GetProperty("value").GetDouble());
    }

    [Theory]
    [InlineData("/v1/reports/attribution?lookback=thirty", "lookback")]
    [InlineData("/v1/reports/attribution?model=magic", "model")]
    [InlineData("/v1/reports/attribution?model=custom", "model")]
    [InlineData("/v1/reports/attribution?by=city", "by")]
    [InlineData("/v1/reports/attribution?from=2026-13-01", "from")]
    [InlineData("/v1/reports/attribution?to=yesterday", "to")]
    [InlineData("/v1/reports/attribution?model=time-decay&half-life=soon", "half-life")]
    [InlineData("/v1/reports/attribution?model=position-based&position=0.8,0.8", "position")]
    [InlineData("/v1/reports/attribution?model=markov&order=0", "order")]
    [InlineData("/v1/reports/attribution?order=two", "order")]
    [InlineData("/v1/reports/attribution?roi=maybe", "roi")]
    [InlineData("/v1/reports/attribution?roi=true&by=medium", "roi")]
    [InlineData("/v1/reports/attribution?colour=blue", "colour")]
    [InlineData("/v1/reports/attribution?model=linear&model=markov", "model")]
    [InlineData("/v1/reports/compare?models=linear,linear", "models")]
    [InlineData("/v1/reports/compare?models=linear,nope", "models")]
    [InlineData("/v1/reports/paths?top=0", "top")]
    [InlineData("/v1/reports/paths?model=linear", "model")]
    [InlineData("/v1/reports/paths?reset-on-conversion=perhaps", "reset-on-conversion")]
    [InlineData("/v1/reports/attribution?to=9999-12-31", "to")]
    [InlineData("/v1/reports/compare?from=0001-01-01", "from")]
    [InlineData("/v1/reports/paths?to=9999-12-31", "to")]
    [InlineData("/v1/reports/attribution?roi=true&to=9999-12-31", "to")]
    [InlineData("/v1/reports/attribution?from=2026-03-10&to=2026-03-01", "to")]
    public async Task AMalformedQueryIs400WithProblemDetailsNamingTheField(string url, string field)
    {
        var client = await WorkspaceWithTwoJourneys();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith(field + " '", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoiJoinsTheWorkspacesCosts()
    {
        var ws = _factory.CreateWorkspace();
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        var costs = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/costs",
            new StringContent("date,channel,campaign,cost,currency\n2026-03-01,Paid Search,brand,25,EUR\n2026-03-02,Email,spring,10,EUR\n", Encoding.UTF8, "text/csv"));

        var json = await Json.ReadAsync(await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/attribution?roi=true"));

        Assert.Equal(2, (await Json.ReadAsync(costs)).GetProperty("imported").GetInt32());
        var paid = json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Paid Search");
        Assert.Equal(25, paid.GetProperty("cost").GetDouble());
        Assert.Equal(2, paid.GetProperty("roas").GetDouble());
        Assert.Equal(25, paid.GetProperty("cpa").GetDouble());
    }

    [Fact]
    public async Task CostsInASecondCurrencyAskForACurrencyAndEachCurrencyHasItsOwnRoi()
    {
        // One cost row in a second currency used to make every ROI view a 400 with no way out.
        var ws = _factory.CreateWorkspace();
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/costs",
            new StringContent("date,channel,campaign,cost,currency\n2026-03-01,Paid Search,brand,25,EUR\n2026-03-02,Paid Search,brand,40,USD\n", Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var client = _factory.ClientWithKey(ws.ReadKey);

        var ambiguous = await client.GetAsync("/v1/reports/attribution?roi=true");
        var eur = await Json.ReadAsync(await client.GetAsync("/v1/reports/attribution?roi=true&currency=eur"));
        var usd = await Json.ReadAsync(await client.GetAsync("/v1/reports/attribution?roi=true&currency=USD"));
        var plain = await Json.ReadAsync(await client.GetAsync("/v1/reports/attribution"));

        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        var message = (await Json.ReadAsync(ambiguous)).GetProperty("errors").GetProperty("currency")[0].GetString();
        Assert.Equal("currency: The costs in range are in several currencies (EUR, USD); ROI is computed in one of them at a time; choose one with currency=EUR or currency=USD", message);
        Assert.Equal("EUR", eur.GetProperty("currency").GetString());
        Assert.Equal(25, eur.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Paid Search").GetProperty("cost").GetDouble());
        Assert.Equal(40, usd.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Paid Search").GetProperty("cost").GetDouble());
        Assert.False(plain.TryGetProperty("currency", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/reports/attribution?currency=EUR")).StatusCode);
    }

    [Fact]
    public async Task BadCostRowsAre400NamingLineAndField()
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/costs",
            new StringContent("date,channel,campaign,cost,currency\n2026-02-30,Email,,10,EUR\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        Assert.Contains("date '2026-02-30'", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.ClientWithKey(ws.ReadKey).PostAsync("/v1/costs", new StringContent("x"))).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        var json = await Json.ReadAsync(await _factory.CreateClient().GetAsync("/openapi/v1.json"));

        var paths = json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/events", paths);
        Assert.Contains("/v1/reports/attribution", paths);
        Assert.Contains("/v1/reports/compare", paths);
        Assert.Contains("/v1/reports/paths", paths);
        Assert.Contains("/v1/costs", paths);
        Assert.DoesNotContain("/", paths);
        Assert.Equal(JsonValueKind.Object, json.GetProperty("components").GetProperty("schemas").GetProperty("AttributionResponse").ValueKind);
    }

    [Fact]
    public async Task MarkovOverMoreWorkThanTheServerAllowsIsRefusedAtOnceWithTheFigures()
    {
        using var factory = new ServerFactory(("maxMarkovWork", "1"));
        var ws = factory.CreateWorkspace();
        (await factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        var client = factory.ClientWithKey(ws.ReadKey);

        var markov = await client.GetAsync("/v1/reports/attribution?model=markov&by=campaign");
        var compare = await client.GetAsync("/v1/reports/compare?models=linear,markov");
        var shapley = await client.GetAsync("/v1/reports/attribution?model=shapley&by=campaign");

        Assert.Equal(HttpStatusCode.BadRequest, markov.StatusCode);
        var detail = (await Json.ReadAsync(markov)).GetProperty("errors").GetProperty("model")[0].GetString()!;
        Assert.Contains("removal solves on", detail, StringComparison.Ordinal);
        Assert.Contains("above the limit of 1e+0", detail, StringComparison.Ordinal);
        Assert.Contains("maxMarkovWork", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, compare.StatusCode);
        Assert.Equal(["models"], (await Json.ReadAsync(compare)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.OK, shapley.StatusCode);
    }
}
