using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Stores.Tests.Workspaces;

public sealed class WorkspaceCatalogsTests
{
    [Fact]
    public void AClickHouseStoreIsRefusedBeforeAnyConnection()
    {
        // Nothing listens on port 1: a connection attempt would fail otherwise.
        var error = Assert.Throws<NotSupportedException>(() => WorkspaceCatalogs.Open("clickhouse://127.0.0.1:1/analytics"));
        Assert.Contains("workspaces need a DuckDB or PostgreSQL store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSchemeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => WorkspaceCatalogs.Open("mysql://127.0.0.1/analytics"));
        Assert.Contains("unknown scheme", error.Message, StringComparison.Ordinal);
    }
}
