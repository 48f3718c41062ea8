using System.Net;
using System.Text;
using OpenAttribution.Server.Tests.Support;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Tests.Api;

public sealed class IngestionTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private readonly ServerFactory _factory = server.Factory;

    [Fact]
    public async Task AJsonArrayIsStoredAndBadEventsAreRejectedByIndexWithTheirReasons()
    {
        var ws = _factory.CreateWorkspace();
        var body = Some.Array(
            Some.Touch("a", "01", source: "google", medium: "cpc"),
            """{"timestamp":"yesterday","type":"touch","anonymous_id":"a"}""",
            Some.Conversion("a", "02", 10),
            """{"timestamp":"2026-03-01T00:00:00Z","type":"purchase","anonymous_id":"a"}""",
            """{"timestamp":"2026-03-01T00:00:00Z","type":"touch"}""");

        var response = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json.ReadAsync(response);
        Assert.Equal(2, json.GetProperty("accepted").GetInt64());
        Assert.Equal(0, json.GetProperty("duplicates").GetInt64());
        var rejected = json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1L, 3L, 4L], rejected.Select(r => r.GetProperty("index").GetInt64()));
        Assert.Contains("timestamp 'yesterday'", rejected[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("type 'purchase'", rejected[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("anonymous_id", rejected[2].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("array")]
    [InlineData("lines")]
    public async Task AnEventWithALoneSurrogateOrInvalidUtf8IsThatEventsRejectionAndTheRestIsStored(string shape)
    {
        // Used to be a 500 with nothing of the batch stored, and the tracker retrying it for ever.
        var ws = _factory.CreateWorkspace();
        var events = new[]
        {
            Encoding.UTF8.GetBytes(Some.Touch("a", "01", source: "google", medium: "cpc")),
            Encoding.UTF8.GetBytes("""{"timestamp":"2026-03-01T00:00:00Z","type":"touch","anonymous_id":"a","campaign":"\ud800"}"""),
            [.. "{\"timestamp\":\"2026-03-01T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"a\",\"campaign\":\"x"u8, 0xFF, 0xC3, .. "\"}"u8],
            Encoding.UTF8.GetBytes(Some.Conversion("a", "02", 10)),
        };
        var body = shape == "array"
            ? [(byte)'[', .. events[0], (byte)',', .. events[1], (byte)',', .. events[2], (byte)',', .. events[3], (byte)']']
            : events.SelectMany(e => e.Append((byte)'\n')).ToArray();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(shape == "array" ? "application/json" : "application/x-ndjson");

        var response = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json.ReadAsync(response);
        Assert.Equal(2, json.GetProperty("accepted").GetInt64());
        var rejected = json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1L, 2L], rejected.Select(r => r.GetProperty("index").GetInt64()));
        Assert.All(rejected, r => Assert.StartsWith("campaign", r.GetProperty("error").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValuesThatWouldOverflowASumAndDatesOutOfTheCalendarAreRejectedAndReportsStayGood()
    {
        // Two values of 1.79e308 used to make the sums infinite: 500 on attribution and paths, for good.
        var ws = _factory.CreateWorkspace();
        var body = Some.Array(
            Some.Touch("a", "01", source: "google", medium: "cpc"),
            """{"timestamp":"2026-03-02T00:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"a","value":1.7976931348623157e308}""",
            """{"timestamp":"2026-03-02T00:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"a","value":1.7976931348623157e308}""",
            """{"timestamp":"9999-12-31T00:00:00Z","type":"touch","anonymous_id":"a"}""",
            Some.Conversion("a", "03", 10));

        var json = await Json.ReadAsync(await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", body));

        Assert.Equal(2, json.GetProperty("accepted").GetInt64());
        var rejected = json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L], rejected.Select(r => r.GetProperty("index").GetInt64()));
        Assert.StartsWith("value", rejected[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("timestamp", rejected[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        var read = _factory.ClientWithKey(ws.ReadKey);
        foreach (var url in new[] { "/v1/reports/attribution", "/v1/reports/paths", "/v1/reports/compare?models=linear,markov,shapley" })
        {
            Assert.Equal(HttpStatusCode.OK, (await read.GetAsync(url)).StatusCode);
        }
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-ndjson")]
    public async Task JsonLinesWhoseFirstLineIsAnArrayAreStillJsonLines(string contentType)
    {
        // The body used to be taken for a broken JSON array: 400, nothing stored.
        var ws = _factory.CreateWorkspace();
        var content = new StringContent("[1,2,3]\n" + Some.Touch("a", "01", source: "google", medium: "cpc") + "\n", Encoding.UTF8);
        content.Headers.ContentType = new(contentType);

        var json = await Json.ReadAsync(await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", content));

        Assert.Equal(1, json.GetProperty("accepted").GetInt64());
        Assert.Equal(0, Assert.Single(json.GetProperty("rejected").EnumerateArray()).GetProperty("index").GetInt64());
    }

    [Fact]
    public async Task ABodySentAsJsonLinesIsNeverTakenForAnArray()
    {
        var ws = _factory.CreateWorkspace();
        var content = new StringContent("[" + Some.Touch("a", "01", source: "google", medium: "cpc") + "]", Encoding.UTF8);
        content.Headers.ContentType = new("application/x-ndjson");

        var json = await Json.ReadAsync(await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", content));

        Assert.Equal(0, json.GetProperty("accepted").GetInt64());
        Assert.Contains("JSON object", Assert.Single(json.GetProperty("rejected").EnumerateArray()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLinesAreAcceptedToo()
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events",
            Some.Lines(Some.Touch("a", "01", source: "google", medium: "cpc"), "", Some.Conversion("a", "02", 10), "{not json"));

        var json = await Json.ReadAsync(response);
        Assert.Equal(2, json.GetProperty("accepted").GetInt64());
        var rejected = Assert.Single(json.GetProperty("rejected").EnumerateArray());
        Assert.Equal(2, rejected.GetProperty("index").GetInt64());
    }

    [Fact]
    public async Task AnEventIdSeenBeforeIsADuplicateInTheSameAndInALaterRequest()
    {
        var ws = _factory.CreateWorkspace();
        var client = _factory.ClientWithKey(ws.WriteKey);

        var first = await Json.ReadAsync(await client.PostAsync("/v1/events",
            Some.Array(Some.Touch("a", "01", id: "e1", source: "bing", medium: "cpc"), Some.Touch("a", "01", id: "e1", source: "bing", medium: "cpc"), Some.Conversion("a", "02", 5, id: "e2"))));
        var second = await Json.ReadAsync(await client.PostAsync("/v1/events",
            Some.Array(Some.Conversion("a", "02", 5, id: "e2"), Some.Conversion("a", "03", 5, id: "e3"))));

        Assert.Equal((2L, 1L), (first.GetProperty("accepted").GetInt64(), first.GetProperty("duplicates").GetInt64()));
        Assert.Equal((1L, 1L), (second.GetProperty("accepted").GetInt64(), second.GetProperty("duplicates").GetInt64()));
        var report = await Json.ReadAsync(await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/attribution"));
        Assert.Equal(2, report.GetProperty("total").GetProperty("conversions").GetDouble());
    }

    [Fact]
    public async Task AnEventIdStoredBeforeTheServerStartedIsADuplicateAfterTheRestart()
    {
        // The id set of a workspace is read from its store (the id column) when the server opens it.
        var folder = Path.Combine(Path.GetTempPath(), "oa-server-tests", "restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = Path.Combine(folder, "store.duckdb");
        try
        {
            CreatedWorkspace ws;
            using (var before = new ServerFactory(("store", store)))
            {
                ws = before.CreateWorkspace();
                var first = await Json.ReadAsync(await before.ClientWithKey(ws.WriteKey).PostAsync("/v1/events",
                    Some.Array(Some.Touch("a", "01", id: "e1", source: "bing", medium: "cpc"), Some.Conversion("a", "02", 5, id: "e2"), Some.Conversion("a", "02", 7))));
                Assert.Equal(3L, first.GetProperty("accepted").GetInt64());
            }

            using var after = new ServerFactory(("store", store));
            var again = await Json.ReadAsync(await after.ClientWithKey(ws.WriteKey).PostAsync("/v1/events",
                Some.Array(Some.Conversion("a", "02", 5, id: "e2"), Some.Touch("a", "01", id: "e1", source: "bing", medium: "cpc"), Some.Conversion("a", "03", 5, id: "e3"))));

            Assert.Equal((1L, 2L), (again.GetProperty("accepted").GetInt64(), again.GetProperty("duplicates").GetInt64()));
            var response = await after.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/attribution");
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var report = await Json.ReadAsync(response);
            Assert.Equal(3, report.GetProperty("total").GetProperty("conversions").GetDouble());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("[{\"timestamp\":\"2026-03-01T00:00:00Z\",", "malformed JSON array")]
    [InlineData("[1, 2] trailing", "malformed JSON array")]
    [InlineData("   ", "empty")]
    public async Task AMalformedBodyIs400NamingTheBody(string body, string expected)
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("body").EnumerateArray()).GetString();
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFieldOfTheWrongJsonTypeRejectsThatEventNamingTheField()
    {
        var ws = _factory.CreateWorkspace();

        var json = await Json.ReadAsync(await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events",
            Some.Array("""{"timestamp":"2026-03-01T00:00:00Z","type":"touch","anonymous_id":{"x":1}}""", "42")));

        var rejected = json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.StartsWith("anonymous_id", rejected[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, rejected[1].GetProperty("index").GetInt64());
    }

    [Fact]
    public async Task ConcurrentSendersLoseNothing()
    {
        var ws = _factory.CreateWorkspace();
        var client = _factory.ClientWithKey(ws.WriteKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async c =>
        {
            var events = Enumerable.Range(0, 100).Select(i => Some.Touch($"v{c}-{i}", "01", id: $"c{c}-e{i}", source: "google", medium: "cpc")).ToArray();
            return await Json.ReadAsync(await client.PostAsync("/v1/events", Some.Array(events)));
        }));

        Assert.All(responses, r => Assert.Equal(100, r.GetProperty("accepted").GetInt64()));
        var directory = (OpenAttribution.Server.Workspaces.WorkspaceDirectory)_factory.Services.GetService(typeof(OpenAttribution.Server.Workspaces.WorkspaceDirectory))!;
        Assert.Equal(1600, directory.Authenticate(ws.WriteKey)!.Value.Workspace.Store.CountEvents());
    }

    [Fact]
    public async Task TheTrackerMayNameItsWriteKeyInTheQueryButNeverAReadKey()
    {
        var ws = _factory.CreateWorkspace();
        var client = _factory.CreateClient();

        var write = await client.PostAsync($"/v1/events?write_key={ws.WriteKey}", new StringContent("[" + Some.Touch("a", "01") + "]", Encoding.UTF8, "text/plain"));
        var read = await client.GetAsync($"/v1/reports/attribution?write_key={ws.ReadKey}");

        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
    }

    [Fact]
    public async Task BrowsersOfOtherSitesMaySendEvents()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/events");
        request.Headers.Add("Origin", "https://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task ReportsWhileEventsArriveSeeEveryCommittedConversion()
    {
        var ws = _factory.CreateWorkspace();
        var writer = _factory.ClientWithKey(ws.WriteKey);
        var reader = _factory.ClientWithKey(ws.ReadKey);

        var sending = Task.WhenAll(Enumerable.Range(0, 8).Select(async c =>
        {
            for (var r = 0; r < 5; r++)
            {
                var events = Enumerable.Range(0, 10).SelectMany(i => new[]
                {
                    Some.Touch($"v{c}-{r}-{i}", "01", id: $"t{c}-{r}-{i}", source: "google", medium: "cpc"),
                    Some.Conversion($"v{c}-{r}-{i}", "02", 1, id: $"c{c}-{r}-{i}"),
                }).ToArray();
                (await writer.PostAsync("/v1/events", Some.Array(events))).EnsureSuccessStatusCode();
            }
        }));
        var reading = Task.Run(async () =>
        {
            while (!sending.IsCompleted)
            {
                (await reader.GetAsync("/v1/reports/compare?models=linear,markov")).EnsureSuccessStatusCode();
            }
        });
        await Task.WhenAll(sending, reading);

        var report = await Json.ReadAsync(await reader.GetAsync("/v1/reports/attribution"));
        Assert.Equal(400, report.GetProperty("total").GetProperty("conversions").GetDouble());
    }
}
