namespace OpenAttribution.Stores.Workspaces;

/// <summary>Opens the workspace catalog of the store a <c>--store</c> value names.</summary>
public static class WorkspaceCatalogs
{
    /// <summary>
    /// The catalog of a DuckDB file or a PostgreSQL schema, with the store's own tables created or
    /// checked; a ClickHouse store has no workspaces (<see cref="NotSupportedException"/>).
    /// </summary>
    public static IWorkspaceCatalog Open(string store) => StoreFactory.KindOf(store) switch
    {
        StoreKind.PostgreSql => new PostgreSqlWorkspaceCatalog(store),
        StoreKind.ClickHouse => throw new NotSupportedException("workspaces need a DuckDB or PostgreSQL store; a ClickHouse store has none."),
        _ => new DuckDbWorkspaceCatalog(store),
    };
}
