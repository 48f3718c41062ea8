using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Server.Workspaces;

/// <summary>A new workspace's keys, shown once (spec section 8: <c>workspace create</c>; the admin key is ours).</summary>
internal sealed record CreatedWorkspace(string Workspace, string WriteKey, string ReadKey, string AdminKey);

/// <summary>Creates workspaces (the <c>attribution workspace create</c> command).</summary>
internal static partial class WorkspaceAdmin
{
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Adds a workspace named <paramref name="name"/> to the catalog with fresh keys.</summary>
    public static CreatedWorkspace Create(IWorkspaceCatalog catalog, string name, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"workspace name '{name}': use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit.", nameof(name));
        }

        var write = WorkspaceKeys.NewKey(KeyRole.Write);
        var read = WorkspaceKeys.NewKey(KeyRole.Read);
        var admin = WorkspaceKeys.NewKey(KeyRole.Admin);
        var schema = "ws_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        catalog.Add(new WorkspaceRecord(name, schema, WorkspaceKeys.Hash(write), WorkspaceKeys.Hash(read), clock.GetUtcNow(), WorkspaceKeys.Hash(admin)));
        return new CreatedWorkspace(name, write, read, admin);
    }

    /// <summary>
    /// A new admin key for the workspace <paramref name="name"/> (one made before admin keys existed,
    /// or one whose admin key is lost): the old admin key stops working. Null for an unknown workspace.
    /// </summary>
    public static string? NewAdminKey(IWorkspaceCatalog catalog, string name)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var admin = WorkspaceKeys.NewKey(KeyRole.Admin);
        return catalog.SetAdminKey(name, WorkspaceKeys.Hash(admin)) ? admin : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
