using System.Net;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

public sealed class AuthenticationTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private readonly ServerFactory _factory = server.Factory;

    public static TheoryData<string> ReportPaths => ["/v1/reports/attribution", "/v1/reports/compare", "/v1/reports/paths"];

    [Fact]
    public async Task SendingEventsWithoutAKeyIs401WithABearerChallenge()
    {
        var response = await _factory.CreateClient().PostAsync("/v1/events", Some.TwoJourneys());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SendingEventsWithAnUnknownKeyIs401()
    {
        var response = await _factory.ClientWithKey("oaw_" + new string('x', 43)).PostAsync("/v1/events", Some.TwoJourneys());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SendingEventsWithAReadKeyIs403()
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.ReadKey).PostAsync("/v1/events", Some.TwoJourneys());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ReportPaths))]
    public async Task ReportsWithoutAKeyAre401(string path)
    {
        var response = await _factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ReportPaths))]
    public async Task ReportsWithAWrongKeyAre401(string path)
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.ReadKey + "x").GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ReportPaths))]
    public async Task AWriteKeyCannotReadReports(string path)
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.WriteKey).GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        Assert.Contains("read key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyReachesOnlyItsOwnWorkspace()
    {
        var a = _factory.CreateWorkspace();
        var b = _factory.CreateWorkspace();
        var sent = await _factory.ClientWithKey(a.WriteKey).PostAsync("/v1/events", Some.TwoJourneys());
        sent.EnsureSuccessStatusCode();

        var reportA = await Json.ReadAsync(await _factory.ClientWithKey(a.ReadKey).GetAsync("/v1/reports/attribution"));
        var reportB = await Json.ReadAsync(await _factory.ClientWithKey(b.ReadKey).GetAsync("/v1/reports/attribution"));

        Assert.Equal(2, reportA.GetProperty("total").GetProperty("conversions").GetDouble());
        Assert.Equal(0, reportB.GetProperty("total").GetProperty("conversions").GetDouble());
        Assert.Empty(reportB.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task TheWorkspaceEndpointNamesTheKeysWorkspaceAndRole()
    {
        var ws = _factory.CreateWorkspace("named-one");

        var read = await Json.ReadAsync(await _factory.ClientWithKey(ws.ReadKey).GetAsync("/v1/workspace"));
        var write = await Json.ReadAsync(await _factory.ClientWithKey(ws.WriteKey).GetAsync("/v1/workspace"));

        Assert.Equal("named-one", read.GetProperty("workspace").GetString());
        Assert.Equal("read", read.GetProperty("role").GetString());
        Assert.Equal("write", write.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.CreateClient().GetAsync("/v1/workspace")).StatusCode);
    }

    [Fact]
    public void KeysAreStoredOnlyAsHashes()
    {
        var ws = _factory.CreateWorkspace();
        var directory = (OpenAttribution.Server.Workspaces.WorkspaceDirectory)_factory.Services.GetService(typeof(OpenAttribution.Server.Workspaces.WorkspaceDirectory))!;

        Assert.NotNull(directory.Authenticate(ws.WriteKey));
        var bytes = File.ReadAllBytes(Path.Combine(_factory.Folder, "store.duckdb"));
        var wal = Path.Combine(_factory.Folder, "store.duckdb.wal");
        var all = File.Exists(wal) ? bytes.Concat(File.ReadAllBytes(wal)).ToArray() : bytes;
        var text = System.Text.Encoding.ASCII.GetString(all);
        Assert.DoesNotContain(ws.WriteKey[4..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(ws.ReadKey[4..], text, StringComparison.Ordinal);
    }
}
