namespace OpenAttribution.Stores;

/// <summary>The backend a <c>--store</c> value names (<see cref="StoreFactory.KindOf"/>).</summary>
public enum StoreKind
{
    /// <summary>A DuckDB file: any value without a scheme.</summary>
    DuckDb,

    /// <summary><c>postgresql://…</c> or <c>postgres://…</c>.</summary>
    PostgreSql,

    /// <summary><c>clickhouse://…</c>.</summary>
    ClickHouse,
}
