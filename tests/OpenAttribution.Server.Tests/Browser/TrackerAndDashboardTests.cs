using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Browser;

/// <summary>
/// The tracker and the dashboard in headless Debian chromium: a visit from an e-mail campaign and a
/// purchase on the example page reach the store and the dashboard's table and chart; a campaign named
/// like markup stays text; CSV export neutralises formulas. Screenshots go to TestResults/browser.
/// </summary>
public sealed class TrackerAndDashboardTests
{
    private const string XssCampaign = "<img src=x onerror=alert(1)>";
    private const string FormulaCampaign = "=HYPERLINK(\"http://evil.example\")";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [ChromiumFact]
    public async Task TheTrackedVisitAndPurchaseShowInTheDashboardAndMarkupStaysText()
    {
        await using var server = await LiveServer.StartAsync();
        var ws = server.Workspaces.Create("browser");
        var workspace = server.Workspaces.Authenticate(ws.WriteKey)!.Value.Workspace;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        var output = TestOutput.Folder("browser");

        // The visit: the example page with e-mail UTM parameters; the tracker sends a touch.
        var landing = $"{server.BaseAddress}example?write_key={ws.WriteKey}&utm_source=newsletter&utm_medium=email&utm_campaign={Uri.EscapeDataString(XssCampaign)}";
        await page.GotoAsync(landing);
        await page.EvaluateAsync("() => window.oa.flush()");
        Assert.Equal(1, workspace.Store.CountEvents());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.oa.pending()"));

        // The purchase.
        await page.ClickAsync("#buy");
        await page.WaitForSelectorAsync("#status:has-text('Thank you')");
        Assert.Equal(2, workspace.Store.CountEvents());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "example-page.png") });

        using var reader = server.Client(ws.ReadKey);
        var report = JsonDocument.Parse(await reader.GetStringAsync("/v1/reports/attribution?by=channel")).RootElement;
        var credited = Assert.Single(report.GetProperty("rows").EnumerateArray());
        Assert.Equal("Email", credited.GetProperty("key").GetString());
        Assert.Equal(49.9, credited.GetProperty("value").GetDouble(), 6);

        // Another visitor from a campaign whose name is a spreadsheet formula (through the API).
        using var writer = server.Client(ws.WriteKey);
        var events = $$"""
            [{"timestamp":"{{DateTime.UtcNow.AddHours(-2):yyyy-MM-ddTHH:mm:ssZ}}","anonymous_id":"other","type":"touch","source":"google","medium":"cpc","campaign":{{JsonSerializer.Serialize(FormulaCampaign)}}},
             {"timestamp":"{{DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}}","anonymous_id":"other","type":"conversion","conversion":"purchase","value":"20"}]
            """;
        (await writer.PostAsync("/v1/events", new StringContent(events, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        // The dashboard, by channel: the table and the chart show Email.
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.FillAsync("#key", ws.ReadKey);
        await page.ClickAsync("#load");
        await page.WaitForSelectorAsync("body[data-loaded]");
        Assert.Equal("workspace: browser", await page.TextContentAsync("#workspace"));
        var emailRow = page.Locator("#comparison tr[data-key='Email'] td");
        Assert.Equal("Email", await emailRow.First.TextContentAsync());
        Assert.StartsWith("1.00", await emailRow.Nth(1).TextContentAsync(), StringComparison.Ordinal);
        var models = await page.Locator("#models input:checked").CountAsync();
        Assert.Equal(models, await page.Locator("#credit-chart rect[data-key='Email']").CountAsync());
        Assert.True(await page.Locator("#credit-chart rect[data-key='Email']").First.GetAttributeAsync("height") is { } h && double.Parse(h, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(1, await page.Locator("#paths td", new PageLocatorOptions { HasTextString = "Email" }).CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "dashboard-by-channel.png"), FullPage = true });

        // By campaign: the markup-like campaign name is shown as text and nothing runs.
        var loaded = await page.GetAttributeAsync("body", "data-loaded");
        await page.SelectOptionAsync("#by", "campaign");
        await page.ClickAsync("#load");
        await page.WaitForFunctionAsync("previous => document.body.dataset.loaded !== previous", loaded);
        var names = await page.Locator("#comparison tr td:first-child").AllTextContentsAsync();
        Assert.Contains(XssCampaign, names);
        Assert.Contains(FormulaCampaign, names);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img').length"));
        await page.WaitForTimeoutAsync(300);
        Assert.Empty(dialogs);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "dashboard-by-campaign.png"), FullPage = true });

        // CSV export: the formula gets a leading quote.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        var csvPath = Path.Combine(output, "model-comparison.csv");
        await download.SaveAsAsync(csvPath);
        var csv = await File.ReadAllTextAsync(csvPath);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\"", csv, StringComparison.Ordinal);
        Assert.Contains(XssCampaign, csv, StringComparison.Ordinal);
    }

    /// <summary>
    /// 300 campaigns, among them "__proto__", "constructor" and a 300-character name: the table shows
    /// 20 rows, one "other" row and the total (which adds up), pages and a search find the rest; every
    /// name is one row; the chart draws the page's rows and "other", with labels that never overlap;
    /// a range without conversions says so instead of drawing bare axes.
    /// </summary>
    [ChromiumFact]
    public async Task ManyCampaignsArePagedAndSearchedAndAnyNameIsOneRow()
    {
        await using var server = await LiveServer.StartAsync();
        var ws = server.Workspaces.Create("many");
        var longName = "long-" + new string('x', 295);
        var names = Enumerable.Range(0, 297).Select(i => $"campaign-{i:000}").Concat(["__proto__", "constructor", longName]).ToList();
        var events = names.SelectMany((name, i) => new[]
        {
            $$"""{"timestamp":"2026-03-01T10:00:00Z","anonymous_id":"v{{i}}","type":"touch","source":"google","medium":"cpc","campaign":{{JsonSerializer.Serialize(name)}}}""",
            $$"""{"timestamp":"2026-03-01T11:00:00Z","anonymous_id":"v{{i}}","type":"conversion","conversion":"purchase","value":{{(i % 7) + 1}}}""",
        });
        using (var writer = server.Client(ws.WriteKey))
        {
            (await writer.PostAsync("/v1/events", new StringContent("[" + string.Join(",", events) + "]", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true, Args = ChromiumArgs });
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } })).NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.FillAsync("#key", ws.ReadKey);
        await page.SelectOptionAsync("#by", "campaign");
        await page.ClickAsync("#load");
        await page.WaitForSelectorAsync("body[data-loaded]");
        var models = await page.Locator("#models input:checked").CountAsync();

        Assert.Equal(20, await page.Locator("#comparison tr[data-key]").CountAsync());
        Assert.Equal("other (280 keys)", await page.TextContentAsync("#comparison tr.other td"));
        Assert.StartsWith("300.00", await page.TextContentAsync("#comparison tr.total td:nth-child(2)"), StringComparison.Ordinal);
        Assert.Equal("1–20 of 300", await page.TextContentAsync("#pager-text"));
        Assert.Equal(21 * models, await page.Locator("#credit-chart rect").CountAsync());
        // Labels share one slant (or none), so two overlap when their boxes do in one label's own frame.
        var overlaps = await page.EvaluateAsync<int>("""
            () => {
              const labels = [...document.querySelectorAll('#credit-chart text.category')].map(t => {
                const m = /rotate\(([-\d.]+)/.exec(t.getAttribute('transform') || '');
                return { a: (m ? +m[1] : 0) * Math.PI / 180, x: +t.getAttribute('x'), y: +t.getAttribute('y'), b: t.getBBox() };
              });
              let n = 0;
              for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
                const p = labels[i], q = labels[j];
                const dx = q.x - p.x, dy = q.y - p.y, c = Math.cos(-p.a), s = Math.sin(-p.a);
                const ox = c * dx - s * dy - dx, oy = s * dx + c * dy - dy;
                const left = q.b.x + ox, top = q.b.y + oy;
                if (p.b.x < left + q.b.width - 0.5 && left < p.b.x + p.b.width - 0.5 && p.b.y < top + q.b.height - 0.5 && top < p.b.y + p.b.height - 0.5) n++;
              }
              return n;
            }
            """);
        Assert.Equal(0, overlaps);

        // Every page: 15 pages of 20, each name once, the last page reached by Next.
        var seen = new List<string>();
        for (var p = 0; p < 15; p++)
        {
            seen.AddRange((await page.Locator("#comparison tr[data-key]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.key)")));
            if (p < 14)
            {
                await page.ClickAsync("#next");
            }
        }

        Assert.True(await page.Locator("#next").IsDisabledAsync());
        Assert.Equal(names.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));

        // Search: "__proto__" and "constructor" are one row each with their own numbers.
        await page.FillAsync("#search", "__proto__");
        Assert.Equal(1, await page.Locator("#comparison tr[data-key='__proto__']").CountAsync());
        Assert.StartsWith("1.00", await page.Locator("#comparison tr[data-key='__proto__'] td").Nth(1).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("other (299 keys)", await page.TextContentAsync("#comparison tr.other td"));
        await page.FillAsync("#search", "long-");
        var longCell = page.Locator("#comparison tr[data-key] td").First;
        Assert.Equal(longName, await longCell.GetAttributeAsync("title"));
        Assert.True((await longCell.TextContentAsync())!.Length <= 60);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestOutput.Folder("browser"), "dashboard-many-campaigns.png"), FullPage = true });

        // Costs in two currencies: only the ROI section says to choose one; with one chosen it shows.
        using (var writer = server.Client(ws.WriteKey))
        {
            (await writer.PostAsync("/v1/costs", new StringContent(
                "date,channel,campaign,cost,currency\n2026-03-01,Paid Search,campaign-000,5,EUR\n2026-03-01,Paid Search,campaign-001,7,USD\n", Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        }

        var before = await page.GetAttributeAsync("body", "data-loaded");
        await page.FillAsync("#search", "");
        await page.ClickAsync("#load");
        await page.WaitForFunctionAsync("previous => document.body.dataset.loaded !== previous", before);
        Assert.Equal(20, await page.Locator("#comparison tr[data-key]").CountAsync());
        Assert.EndsWith("choose one with currency=EUR or currency=USD", await page.TextContentAsync("#roi-error"), StringComparison.Ordinal);
        before = await page.GetAttributeAsync("body", "data-loaded");
        await page.FillAsync("#currency", "eur");
        await page.ClickAsync("#load");
        await page.WaitForFunctionAsync("previous => document.body.dataset.loaded !== previous", before);
        Assert.Equal(", cost in EUR", await page.TextContentAsync("#roi-currency"));
        Assert.Equal(string.Empty, await page.TextContentAsync("#roi-error"));
        Assert.True(await page.Locator("#roi tr").CountAsync() > 1);

        // A range with no conversions: a sentence, not bare axes.
        var loaded = await page.GetAttributeAsync("body", "data-loaded");
        await page.FillAsync("#search", "");
        await page.FillAsync("#from", "2025-01-01");
        await page.FillAsync("#to", "2025-01-31");
        await page.ClickAsync("#load");
        await page.WaitForFunctionAsync("previous => document.body.dataset.loaded !== previous", loaded);
        Assert.Equal("No conversions for these options.", await page.TextContentAsync("#credit-chart .empty"));
        Assert.Equal(0, await page.Locator("#credit-chart svg").CountAsync());
        Assert.Equal(0, await page.Locator("#time-lags svg").CountAsync());
    }
}
