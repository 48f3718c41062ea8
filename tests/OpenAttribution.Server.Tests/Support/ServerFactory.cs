using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Tests.Support;

/// <summary>The server in memory on a fresh DuckDB file, with settings per test class.</summary>
internal sealed class ServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;

    public ServerFactory(params (string Key, string Value)[] settings)
    {
        Folder = Path.Combine(Path.GetTempPath(), "oa-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        _settings = settings.ToDictionary(s => s.Key, s => s.Value);
        _settings.TryAdd("store", Path.Combine(Folder, "store.duckdb"));
    }

    public string Folder { get; }

    /// <summary>A new workspace with its keys (through the running server's catalog).</summary>
    public CreatedWorkspace CreateWorkspace(string? name = null) =>
        Services.GetRequiredService<WorkspaceDirectory>().Create(name ?? "ws-" + Guid.NewGuid().ToString("N")[..8]);

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a late finaliser; the temp folder is cleaned by the OS.
        }
    }
}
