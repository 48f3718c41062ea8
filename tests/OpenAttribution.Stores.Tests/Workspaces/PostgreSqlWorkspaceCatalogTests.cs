using OpenAttribution.Stores.Tests.PostgreSql;

namespace OpenAttribution.Stores.Tests.Workspaces;

[PostgresFact]
public sealed class PostgreSqlWorkspaceCatalogTests : WorkspaceCatalogContract
{
    protected override string NewStore()
    {
        PostgresTestServer.EnsureReachable();
        return PostgresTestServer.WithSchema("oa_catalog_" + Guid.NewGuid().ToString("N")[..12]);
    }
}
