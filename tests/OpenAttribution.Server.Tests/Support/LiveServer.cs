using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Tests.Support;

/// <summary>The real server (Kestrel) on a free port of 127.0.0.1, for a browser to reach.</summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveServer(WebApplication app, string folder)
    {
        _app = app;
        Folder = folder;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
    }

    public Uri BaseAddress { get; }

    public string Folder { get; }

    public WorkspaceDirectory Workspaces => _app.Services.GetRequiredService<WorkspaceDirectory>();

    public static async Task<LiveServer> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "oa-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var app = ServerApp.Build(["--store", Path.Combine(folder, "store.duckdb"), "--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        return new LiveServer(app, folder);
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
