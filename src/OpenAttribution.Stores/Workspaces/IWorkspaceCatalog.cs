namespace OpenAttribution.Stores.Workspaces;

/// <summary>
/// The workspaces of a store (spec section 8): a table in the store's default schema; each
/// workspace's events and costs live in a schema of their own, so a workspace-scoped
/// <see cref="IEventStore"/> is the ordinary store opened on that schema.
/// </summary>
public interface IWorkspaceCatalog : IDisposable
{
    /// <summary>Adds a workspace; throws <see cref="WorkspaceExistsException"/> when the name is taken.</summary>
    void Add(WorkspaceRecord workspace);

    /// <summary>Every workspace, by name.</summary>
    IReadOnlyList<WorkspaceRecord> List();

    /// <summary>The events and costs of one workspace.</summary>
    IEventStore OpenEvents(WorkspaceRecord workspace);

    /// <summary>Sets (or replaces) the admin key hash of the workspace <paramref name="name"/>; false when there is no such workspace.</summary>
    bool SetAdminKey(string name, byte[] adminKeyHash);
}

/// <summary>A workspace name that is already taken.</summary>
public sealed class WorkspaceExistsException(string name)
    : InvalidOperationException($"workspace '{name}' already exists");
