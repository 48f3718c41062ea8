using System.Net;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

public sealed class WebAssetsTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private readonly ServerFactory _factory = server.Factory;

    [Fact]
    public async Task TheDashboardIsServedWithAStrictContentSecurityPolicy()
    {
        var response = await _factory.CreateClient().GetAsync("/");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("dashboard.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrackerIsServed()
    {
        var response = await _factory.CreateClient().GetAsync("/t.js");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sendBeacon", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/t.js", "public, max-age=3600")]
    [InlineData("/dashboard.js", "no-cache")]
    [InlineData("/charts.js", "no-cache")]
    [InlineData("/dashboard.css", "no-cache")]
    public async Task ScriptsCarryCacheHeadersAndAnEtagThatAnswers304(string path, string caching)
    {
        var client = _factory.CreateClient();

        var first = await client.GetAsync(path);
        var etag = first.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag!);
        var second = await client.SendAsync(again);
        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"stale\""));
        var third = await client.SendAsync(other);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(caching, first.Headers.CacheControl!.ToString());
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await third.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TheExamplePageCarriesOnlyAWellFormedWriteKey()
    {
        var ws = _factory.CreateWorkspace();
        var client = _factory.CreateClient();

        var good = await client.GetStringAsync($"/example?write_key={ws.WriteKey}");
        var bad = await client.GetStringAsync("/example?write_key=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");

        Assert.Contains($"data-write-key=\"{ws.WriteKey}\"", good, StringComparison.Ordinal);
        Assert.Contains("data-write-key=\"\"", bad, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)", bad, StringComparison.Ordinal);
    }
}
