using OpenAttribution.Stores.ClickHouse;
using OpenAttribution.Stores.DuckDb;
using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores;

/// <summary>Opens the store a <c>--store</c> value names (spec section 7).</summary>
public static class StoreFactory
{
    /// <summary>
    /// <c>postgresql://…</c> or <c>postgres://…</c>: PostgreSQL; <c>clickhouse://host:port[,host:port...]/db[?cluster=NAME]</c>:
    /// a ClickHouse cluster, one HTTP endpoint per shard;
    /// anything else: a DuckDB file, created when missing.
    /// </summary>
    /// <summary>
    /// The location of the workspace <paramref name="workspace"/> of the server store
    /// <paramref name="store"/>: the PostgreSQL URI with <c>?schema=</c> the workspace's schema, or the
    /// DuckDB file with <c>?schema=</c> appended (which <see cref="Open"/> reads the same way).
    /// </summary>
    public static string ForWorkspace(string store, string workspace)
    {
        using var catalog = Workspaces.WorkspaceCatalogs.Open(store);
        var record = catalog.List().FirstOrDefault(w => w.Name == workspace)
            ?? throw new ArgumentException($"--workspace '{workspace}': no such workspace in {Redact(store)}; 'attribution workspace list --store STORE' shows them", nameof(workspace));
        return KindOf(store) == StoreKind.PostgreSql
            ? PostgreSqlLocation.WithSchema(store, record.Schema)
            : store + DuckDbEventStore.SchemaSuffix + record.Schema;
    }

    public static IEventStore Open(string store) => KindOf(store) switch
    {
        StoreKind.PostgreSql => new PostgreSqlEventStore(store),
        StoreKind.ClickHouse => new ClickHouseEventStore(store),
        _ => new DuckDbEventStore(store),
    };

    /// <summary>The backend <paramref name="store"/> names; throws for an empty value or an unknown scheme.</summary>
    public static StoreKind KindOf(string store)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new ArgumentException("--store is empty: give a DuckDB file path or a postgresql:// URI.", nameof(store));
        }

        if (IsPostgreSql(store))
        {
            return StoreKind.PostgreSql;
        }

        if (store.StartsWith("clickhouse://", StringComparison.OrdinalIgnoreCase))
        {
            return StoreKind.ClickHouse;
        }

        if (store.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--store '{Redact(store)}': unknown scheme; use a DuckDB file path, postgresql://user:pass@host:port/db or clickhouse://host:port/db.", nameof(store));
        }

        return StoreKind.DuckDb;
    }

    /// <summary>Whether <paramref name="store"/> is a PostgreSQL URI.</summary>
    public static bool IsPostgreSql(string store) =>
        store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store text without a password (<c>scheme://user:***@host…</c>), for messages.</summary>
    public static string Redact(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var at = store.IndexOf('@');
        var scheme = store.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return store;
        }

        var colon = store.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? store[..(colon + 1)] + "***" + store[at..] : store;
    }
}
