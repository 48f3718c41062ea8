using System.Net;
using System.Text;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

public sealed class LimitsTests
{
    [Fact]
    public async Task ABodyOverTheLimitIs413AndStoresNothing()
    {
        using var factory = new ServerFactory(("maxBodyBytes", "2000"));
        var ws = factory.CreateWorkspace();
        var events = Enumerable.Range(0, 40).Select(i => Some.Touch($"v{i}", "01", source: "google", medium: "cpc")).ToArray();

        var sized = await factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", Some.Array(events));
        var chunked = await factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events",
            new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]"))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        var report = await Json.ReadAsync(await factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/reports/paths"));
        Assert.Equal(0, report.GetProperty("total").GetProperty("conversions").GetDouble());
    }

    [Fact]
    public async Task UnderOverloadEveryRequestIsStoredOrRefusedWith503NeverLost()
    {
        using var factory = new ServerFactory(("queueCapacity", "1"), ("maxEventsPerCommit", "100"));
        var ws = factory.CreateWorkspace();
        var client = factory.ClientWithKey(ws.WriteKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(c => client.PostAsync("/v1/events",
            Some.Array(Enumerable.Range(0, 100).Select(i => Some.Touch($"v{c}-{i}", "01", id: $"c{c}-{i}", source: "google", medium: "cpc")).ToArray()))));

        long acknowledged = 0;
        foreach (var r in responses)
        {
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString());
            if (r.StatusCode == HttpStatusCode.OK)
            {
                acknowledged += (await Json.ReadAsync(r)).GetProperty("accepted").GetInt64();
            }
            else
            {
                Assert.Equal("1", r.Headers.RetryAfter?.ToString());
            }
        }

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        var directory = (OpenAttribution.Server.Workspaces.WorkspaceDirectory)factory.Services.GetService(typeof(OpenAttribution.Server.Workspaces.WorkspaceDirectory))!;
        Assert.Equal(acknowledged, directory.Authenticate(ws.WriteKey)!.Value.Workspace.Store.CountEvents());
    }

    [Fact]
    public async Task AWorkspaceWhoseStoreFailsToOpenIs503AndIsTriedAgainOnTheNextRequest()
    {
        // The failure used to be kept for ever (a Lazy's exception): every later request was a 500
        // until the server restarted.
        using var factory = new ServerFactory();
        var ws = factory.CreateWorkspace();
        var client = factory.ClientWithKey(ws.ReadKey);
        using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=" + Path.Combine(factory.Folder, "store.duckdb"));
        connection.Open();
        string Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
        }

        var schema = Scalar($"SELECT schema_name FROM main.oa_workspaces WHERE name = '{ws.Workspace}'");
        var version = Scalar($"SELECT value FROM {schema}.meta WHERE key = 'schema_version'");
        Scalar($"UPDATE {schema}.meta SET value = '999' WHERE key = 'schema_version' RETURNING value");

        var broken = await client.GetAsync("/v1/workspace");
        Scalar($"UPDATE {schema}.meta SET value = '{version}' WHERE key = 'schema_version' RETURNING value");
        var mended = await client.GetAsync("/v1/workspace");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        Assert.NotNull(broken.Headers.RetryAfter);
        Assert.Contains("schema version 999", (await Json.ReadAsync(broken)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, mended.StatusCode);
    }
}
