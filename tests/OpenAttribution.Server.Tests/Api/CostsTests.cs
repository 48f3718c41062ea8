using System.Net;
using System.Text;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

/// <summary>
/// Costs: added with the write key as the reference has it (or only with the admin key when the
/// server says so), replaced per day and deleted per range with the admin key only; the admin key
/// reads reports too; one stray row in a second currency can be undone.
/// </summary>
public sealed class CostsTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private const string Header = "date,channel,campaign,cost,currency\n";

    private readonly ServerFactory _factory = server.Factory;

    private static StringContent Csv(string rows) => new(Header + rows, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task TheAdminKeyReplacesTheDaysOfAFileAndDeletesARangeWhileTheWriteKeyCannot()
    {
        var ws = _factory.CreateWorkspace();
        var write = _factory.ClientWithKey(ws.WriteKey);
        var admin = _factory.ClientWithKey(ws.AdminKey);
        (await write.PostAsync("/v1/events", Some.TwoJourneys())).EnsureSuccessStatusCode();
        (await write.PostAsync("/v1/costs", Csv("2026-03-01,Paid Search,brand,25,EUR\n2026-03-02,Paid Search,brand,40,EUR\n2026-03-03,Email,spring,5,EUR\n"))).EnsureSuccessStatusCode();
        // A stray row in a second currency, as anyone holding the public write key could send.
        (await write.PostAsync("/v1/costs", Csv("2026-03-02,Paid Search,brand,999,USD\n"))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/v1/reports/attribution?roi=true")).StatusCode);

        var writePut = await write.PutAsync("/v1/costs", Csv("2026-03-02,Paid Search,brand,30,EUR\n"));
        var writeDelete = await write.DeleteAsync("/v1/costs");
        var put = await admin.PutAsync("/v1/costs", Csv("2026-03-02,Paid Search,brand,30,EUR\n"));
        var roi = await Json.ReadAsync(await admin.GetAsync("/v1/reports/attribution?roi=true"));

        Assert.Equal(HttpStatusCode.Forbidden, writePut.StatusCode);
        Assert.Contains("admin key", (await Json.ReadAsync(writePut)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, writeDelete.StatusCode);
        var replaced = await Json.ReadAsync(put);
        Assert.Equal((1, 2L), (replaced.GetProperty("imported").GetInt32(), replaced.GetProperty("replaced").GetInt64()));
        Assert.Equal("EUR", roi.GetProperty("currency").GetString());
        Assert.Equal(55, roi.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Paid Search").GetProperty("cost").GetDouble());

        var deleted = await Json.ReadAsync(await admin.DeleteAsync("/v1/costs?from=2026-03-03"));
        var badRange = await admin.DeleteAsync("/v1/costs?from=2026-03-03&to=2026-03-01");
        var all = await Json.ReadAsync(await admin.DeleteAsync("/v1/costs"));

        Assert.Equal(1, deleted.GetProperty("deleted").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Equal(2, all.GetProperty("deleted").GetInt64());
        Assert.False((await Json.ReadAsync(await admin.GetAsync("/v1/reports/attribution?roi=true"))).TryGetProperty("currency", out _));
    }

    [Fact]
    public async Task WithAdminOnlyCostsTheWriteKeyCannotAddCosts()
    {
        using var factory = new ServerFactory(("adminOnlyCosts", "true"));
        var ws = factory.CreateWorkspace();

        var byWrite = await factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/costs", Csv("2026-03-01,Paid Search,brand,25,EUR\n"));
        var byAdmin = await factory.ClientWithKey(ws.AdminKey).PostAsync("/v1/costs", Csv("2026-03-01,Paid Search,brand,25,EUR\n"));

        Assert.Equal(HttpStatusCode.Forbidden, byWrite.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(byAdmin)).GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task AnEmptyReplacementIsRefusedRatherThanDeletingNothingSilently()
    {
        var ws = _factory.CreateWorkspace();

        var response = await _factory.ClientWithKey(ws.AdminKey).PutAsync("/v1/costs", Csv(string.Empty));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DELETE /v1/costs", (await Json.ReadAsync(response)).GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }
}
