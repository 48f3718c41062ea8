using System.Text.Json;

namespace OpenAttribution.Cli.Tests;

public sealed class WorkspaceCommandTests
{
    [Fact]
    public void CreatePrintsTheWorkspaceAndBothKeysAsJson()
    {
        var store = CliRunner.TempFile("ws.duckdb", string.Empty);
        File.Delete(store);

        var r = CliRunner.Run("workspace", "create", "acme", "--store", store, "--format", "json");

        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal("acme", json.RootElement.GetProperty("workspace").GetString());
        Assert.Matches("^oaw_[A-Za-z0-9_-]{43}$", json.RootElement.GetProperty("write_key").GetString());
        Assert.Matches("^oar_[A-Za-z0-9_-]{43}$", json.RootElement.GetProperty("read_key").GetString());
        Assert.Matches("^oaa_[A-Za-z0-9_-]{43}$", json.RootElement.GetProperty("admin_key").GetString());
    }

    [Fact]
    public void AdminKeyIssuesANewKeyForAnExistingWorkspaceAndRefusesAnUnknownOne()
    {
        var store = CliRunner.TempFile("ws.duckdb", string.Empty);
        File.Delete(store);
        Assert.Equal(0, CliRunner.Run("workspace", "create", "shop", "--store", store).ExitCode);

        var first = CliRunner.Run("workspace", "admin-key", "shop", "--store", store);
        var second = CliRunner.Run("workspace", "admin-key", "shop", "--store", store);
        var unknown = CliRunner.Run("workspace", "admin-key", "nope", "--store", store);

        Assert.Equal(0, first.ExitCode);
        Assert.Matches("^oaa_[A-Za-z0-9_-]{43}$", first.Out.Trim());
        Assert.NotEqual(first.Out, second.Out);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("workspace 'nope': no such workspace", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameIsCreatedOnceAndListed()
    {
        var store = CliRunner.TempFile("ws.duckdb", string.Empty);
        File.Delete(store);

        var first = CliRunner.Run("workspace", "create", "shop", "--store", store);
        var second = CliRunner.Run("workspace", "create", "shop", "--store", store);
        var list = CliRunner.Run("workspace", "list", "--store", store);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("write key: oaw_", first.Out, StringComparison.Ordinal);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("workspace 'shop' already exists", second.Error, StringComparison.Ordinal);
        Assert.StartsWith("shop\t", list.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void ABadNameIsRefusedNamingIt(string name)
    {
        var store = CliRunner.TempFile("ws.duckdb", string.Empty);
        File.Delete(store);

        var r = CliRunner.Run("workspace", "create", name, "--store", store);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"workspace name '{name}'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AClickHouseStoreIsRefusedWithAClearMessage()
    {
        var r = CliRunner.Run("workspace", "create", "acme", "--store", "clickhouse://127.0.0.1:1/analytics");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--store 'clickhouse://127.0.0.1:1/analytics': workspaces need a DuckDB or PostgreSQL store", r.Error, StringComparison.Ordinal);
    }
}
