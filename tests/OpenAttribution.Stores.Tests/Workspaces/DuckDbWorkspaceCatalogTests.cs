namespace OpenAttribution.Stores.Tests.Workspaces;

public sealed class DuckDbWorkspaceCatalogTests : WorkspaceCatalogContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-catalog-tests", Guid.NewGuid().ToString("N"));

    protected override string NewStore() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".duckdb");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
