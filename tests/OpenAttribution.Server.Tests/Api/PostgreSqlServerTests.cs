using System.Net;
using System.Text;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

/// <summary>
/// The server on a PostgreSQL store: ingestion with duplicates and hostile events, every model's
/// report, refunds, and costs replaced and deleted with the admin key, as on DuckDB.
/// </summary>
public sealed class PostgreSqlServerTests : IDisposable
{
    private readonly string _schema;
    private readonly ServerFactory _factory;

    public PostgreSqlServerTests()
    {
        _factory = new ServerFactory(("store", PostgresServer.NewStore(out _schema)));
    }

    public void Dispose()
    {
        _factory.Dispose();
        if (PostgresServer.SkipReason is null)
        {
            PostgresServer.Drop(_schema);
        }
    }

    [PostgresServerFact]
    public async Task EventsDuplicatesAndBadEventsGiveTheSameReportsAsOnDuckDb()
    {
        var ws = _factory.CreateWorkspace();
        var write = _factory.ClientWithKey(ws.WriteKey);
        var first = await Json.ReadAsync(await write.PostAsync("/v1/events", Some.Array(
            Some.Touch("a", "01", id: "e1", source: "google", medium: "cpc"),
            Some.Conversion("a", "02", 100, id: "e2"),
            """{"timestamp":"9999-12-31T00:00:00Z","type":"touch","anonymous_id":"a"}""",
            """{"timestamp":"2026-03-02T00:00:00Z","type":"touch","anonymous_id":"a","campaign":"\ud800"}""")));
        var second = await Json.ReadAsync(await write.PostAsync("/v1/events", Some.Array(
            Some.Conversion("a", "02", 100, id: "e2"),
            Some.Touch("b", "03", source: "newsletter", medium: "email"),
            Some.Conversion("b", "04", -30))));

        Assert.Equal((2L, 2), (first.GetProperty("accepted").GetInt64(), first.GetProperty("rejected").GetArrayLength()));
        Assert.Equal((2L, 1L), (second.GetProperty("accepted").GetInt64(), second.GetProperty("duplicates").GetInt64()));
        var models = new[] { "last-touch", "first-touch", "linear", "time-decay", "position-based", "markov", "shapley" };
        var compare = await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/compare?models=" + string.Join(",", models));
        Assert.Equal(HttpStatusCode.OK, compare.StatusCode);
        var rows = (await Json.ReadAsync(compare)).GetProperty("rows").EnumerateArray().ToList();
        Assert.All(models, m =>
        {
            var mine = rows.Where(r => r.GetProperty("model").GetString() == m).ToList();
            Assert.Equal(2, mine.Sum(r => r.GetProperty("conversions").GetDouble()), 9);
            Assert.Equal(70, mine.Sum(r => r.GetProperty("value").GetDouble()), 9);
        });
        var paths = await Json.ReadAsync(await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/paths"));
        Assert.Equal(2, paths.GetProperty("total").GetProperty("conversions").GetDouble());
    }

    [PostgresServerFact]
    public async Task CostsAreReplacedAndDeletedWithTheAdminKey()
    {
        var ws = _factory.CreateWorkspace();
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        var admin = _factory.ClientWithKey(ws.AdminKey);
        static StringContent Csv(string rows) => new("date,channel,campaign,cost,currency\n" + rows, Encoding.UTF8, "text/csv");
        (await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/costs", Csv("2026-03-01,Paid Search,brand,25,EUR\n2026-03-02,Paid Search,brand,40,USD\n"))).EnsureSuccessStatusCode();

        var ambiguous = await admin.GetAsync("/v1/reports/attribution?roi=true");
        var put = await Json.ReadAsync(await admin.PutAsync("/v1/costs", Csv("2026-03-02,Paid Search,brand,30,EUR\n")));
        var roi = await Json.ReadAsync(await admin.GetAsync("/v1/reports/attribution?roi=true"));
        var deleted = await Json.ReadAsync(await admin.DeleteAsync("/v1/costs"));

        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.Equal(1, put.GetProperty("replaced").GetInt64());
        Assert.Equal("EUR", roi.GetProperty("currency").GetString());
        Assert.Equal(55, roi.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Paid Search").GetProperty("cost").GetDouble());
        Assert.Equal(2, deleted.GetProperty("deleted").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.ClientWithKey(ws.WriteKey).DeleteAsync("/v1/costs")).StatusCode);
    }
}
