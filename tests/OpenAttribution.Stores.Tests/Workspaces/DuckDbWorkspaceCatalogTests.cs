using DuckDB.NET.Data;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Stores.Tests.Workspaces;

public sealed class DuckDbWorkspaceCatalogTests : WorkspaceCatalogContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-catalog-tests", Guid.NewGuid().ToString("N"));

    protected override string NewStore() => Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".duckdb");

    [Fact]
    public void AnOldCatalogGainsTheAdminKeyColumn() => CheckOldCatalogGainsTheAdminKeyColumn(NewStore(), store =>
    {
        WorkspaceCatalogs.Open(store).Dispose();
        using var connection = new DuckDBConnection("Data Source=" + store);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "ALTER TABLE main.oa_workspaces DROP COLUMN admin_key_hash; INSERT INTO main.oa_workspaces VALUES ('old', 'ws_0123456789abcdef', '01', '02', 0)";
        command.ExecuteNonQuery();
    });

    [Fact]
    public void AFileThatIsNotAStoreGetsNoCatalog()
    {
        var store = NewStore();
        Directory.CreateDirectory(_folder);
        using (var connection = new DuckDBConnection("Data Source=" + store))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE something_else (x INTEGER)";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidDataException>(() => WorkspaceCatalogs.Open(store));
        Assert.Contains("not an OpenAttribution store", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
