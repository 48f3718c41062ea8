using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Server.Workspaces;

/// <summary>
/// Finds the workspace of an API key. Keys are stored only as SHA-256 hashes, and a presented key is
/// found by the hash of it: the lookup compares hashes, never keys, so its timing does not leak a key.
/// The catalog is read at start and again (at most once a second) when an unknown key arrives, so
/// workspaces added to a PostgreSQL store while the server runs are found.
/// </summary>
internal sealed class WorkspaceDirectory : IAsyncDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly IWorkspaceCatalog _catalog;
    private readonly ServerOptions _options;
    private readonly ILogger<WorkspaceDirectory> _logger;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Lazy<Workspace>> _open = new(StringComparer.Ordinal);
    private readonly Lock _refreshLock = new();
    private Dictionary<string, (WorkspaceRecord Record, KeyRole Role)> _byHash = new(StringComparer.Ordinal);
    private DateTimeOffset _refreshed = DateTimeOffset.MinValue;

    public WorkspaceDirectory(IOptions<ServerOptions> options, ILogger<WorkspaceDirectory> logger, TimeProvider clock)
    {
        _options = options.Value;
        _logger = logger;
        _clock = clock;
        _catalog = WorkspaceCatalogs.Open(_options.Store);
        Refresh();
    }

    /// <summary>Creates a workspace in the server's store; its keys work at once.</summary>
    public CreatedWorkspace Create(string name)
    {
        var created = WorkspaceAdmin.Create(_catalog, name, _clock);
        lock (_refreshLock)
        {
            Refresh();
        }

        return created;
    }

    /// <summary>The workspace and role of <paramref name="key"/>, or null for an unknown key.</summary>
    public (Workspace Workspace, KeyRole Role)? Authenticate(string key)
    {
        var hex = Convert.ToHexString(WorkspaceKeys.Hash(key));
        if (!Find(hex, out var found))
        {
            lock (_refreshLock)
            {
                if (_clock.GetUtcNow() - _refreshed < RefreshInterval)
                {
                    return null;
                }

                Refresh();
            }

            if (!Find(hex, out found))
            {
                return null;
            }
        }

        var record = found.Record;
        var lazy = _open.GetOrAdd(record.Name, _ => new Lazy<Workspace>(() => new Workspace(record, _catalog, _options, _logger)));
        try
        {
            return (lazy.Value, found.Role);
        }
        catch (Exception ex)
        {
            // A Lazy keeps its failure for ever: drop it, so the next request tries to open the
            // workspace again (its store may be back).
            _open.TryRemove(KeyValuePair.Create(record.Name, lazy));
            _logger.LogWarning(ex, "workspace {Workspace}: its store could not be opened", record.Name);
            throw;
        }
    }

    private bool Find(string hex, out (WorkspaceRecord Record, KeyRole Role) found) =>
        Volatile.Read(ref _byHash).TryGetValue(hex, out found);

    private void Refresh()
    {
        var map = new Dictionary<string, (WorkspaceRecord, KeyRole)>(StringComparer.Ordinal);
        foreach (var w in _catalog.List())
        {
            map[Convert.ToHexString(w.WriteKeyHash)] = (w, KeyRole.Write);
            map[Convert.ToHexString(w.ReadKeyHash)] = (w, KeyRole.Read);
            if (w.AdminKeyHash is { } admin)
            {
                map[Convert.ToHexString(admin)] = (w, KeyRole.Admin);
            }
        }

        Volatile.Write(ref _byHash, map);
        _refreshed = _clock.GetUtcNow();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var workspace in _open.Values.Where(w => w.IsValueCreated))
        {
            await workspace.Value.DisposeAsync();
        }

        _open.Clear();
        _catalog.Dispose();
    }
}
