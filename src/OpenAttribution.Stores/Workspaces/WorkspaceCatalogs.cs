namespace OpenAttribution.Stores.Workspaces;

/// <summary>Opens the workspace catalog of the store a <c>--store</c> value names.</summary>
public static class WorkspaceCatalogs
{
    public static IWorkspaceCatalog Open(string store)
    {
        // Opening the store first creates or checks its default schema, and rejects unknown schemes.
        using (StoreFactory.Open(store))
        {
        }

        return StoreFactory.IsPostgreSql(store) ? new PostgreSqlWorkspaceCatalog(store) : new DuckDbWorkspaceCatalog(store);
    }
}
