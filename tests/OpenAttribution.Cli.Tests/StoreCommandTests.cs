using System.Diagnostics;
using System.Text.Json;
using DuckDB.NET.Data;
using OpenAttribution.Stores;

namespace OpenAttribution.Cli.Tests;

public class StoreCommandTests
{
    private const string Events = """
        event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,referrer,url,conversion,value
        e1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,brand,,,,
        e2,2026-03-02T09:00:00Z,,a1,touch,,,,,https://www.google.com/,,,
        e3,2026-03-03T09:00:00Z,u1,a1,identify,,,,,,,,
        e4,2026-03-04T09:00:00Z,u1,,touch,,newsletter,email,spring,,,,
        e5,2026-03-05T09:00:00Z,u1,,conversion,,,,,,,purchase,100
        e6,2026-03-05T09:00:00Z,,a2,touch,,,,,,https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget,,
        e7,2026-03-06T09:00:00Z,,a2,conversion,,,,,,,purchase,50
        e9,yesterday,,a3,touch,,,,,,,,
        """;

    [Fact]
    public void ImportingTheSameFileTwiceChangesNoReportAndReportsEqualTheFile()
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var store = Path.Combine(Path.GetDirectoryName(file)!, "data.duckdb");

        var first = CliRunner.Run("import", "--store", store, file, "--format", "json");
        Assert.Equal(0, first.ExitCode);
        using (var doc = JsonDocument.Parse(first.Out))
        {
            Assert.Equal(7, doc.RootElement.GetProperty("accepted").GetInt64());
            Assert.Equal(1, doc.RootElement.GetProperty("rejected").GetInt64());
            var rejected = doc.RootElement.GetProperty("files")[0].GetProperty("rejected")[0];
            Assert.Equal(9, rejected.GetProperty("line").GetInt64());
            Assert.Equal("timestamp", rejected.GetProperty("field").GetString());
        }

        // The import builds the snapshot, so the report after it does not.
        Assert.Contains("snapshot built in", first.Error, StringComparison.Ordinal);
        var before = CliRunner.Run("compare", "--store", store, "--format", "csv");
        Assert.DoesNotContain("snapshot", before.Error, StringComparison.Ordinal);
        var kept = CliRunner.Run("compare", "--store", store, "--format", "csv");
        Assert.DoesNotContain("snapshot built", kept.Error, StringComparison.Ordinal);
        Assert.Equal(before.Out, kept.Out);
        var second = CliRunner.Run("import", "--store", store, file, "--format", "json");
        Assert.Equal(0, second.ExitCode);
        using (var doc = JsonDocument.Parse(second.Out))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("accepted").GetInt64());
            Assert.Equal(7, doc.RootElement.GetProperty("duplicates").GetInt64());
        }

        var after = CliRunner.Run("compare", "--store", store, "--format", "csv");
        var fromFile = CliRunner.Run("compare", "--events", file, "--format", "csv");
        Assert.Equal(0, after.ExitCode);
        Assert.Equal(before.Out, after.Out);
        Assert.Equal(fromFile.Out, after.Out);

        var markovStore = CliRunner.Run("markov", "--store", store, "--order", "2", "--format", "csv");
        var markovFile = CliRunner.Run("markov", "--events", file, "--order", "2", "--format", "csv");
        Assert.Equal(markovFile.Out, markovStore.Out);

        // Journeys streamed from the store feed the path report and the path table as the file's do.
        foreach (var section in new[] { "paths", "lengths", "lags", "assists" })
        {
            var pathsStore = CliRunner.Run("paths", "--store", store, "--format", "csv", "--section", section);
            var pathsFile = CliRunner.Run("paths", "--events", file, "--format", "csv", "--section", section);
            Assert.Equal(0, pathsStore.ExitCode);
            Assert.Equal(pathsFile.Out, pathsStore.Out);
            Assert.Contains('\n', pathsStore.Out.Trim());
        }

        var tableStore = Path.Combine(Path.GetDirectoryName(file)!, "store-paths.csv");
        var tableFile = Path.Combine(Path.GetDirectoryName(file)!, "file-paths.csv");
        Assert.Equal(0, CliRunner.Run("paths", "--store", store, "--write-path-table", tableStore, "--lookback", "2d").ExitCode);
        Assert.Equal(0, CliRunner.Run("paths", "--events", file, "--write-path-table", tableFile, "--lookback", "2d").ExitCode);
        Assert.Equal(File.ReadAllText(tableFile), File.ReadAllText(tableStore));

        // More events: a link that merges a2 into u1, a late touch, a new visitor. The import applies
        // them to the snapshot, and every report equals the one from both files read together.
        const string More = """
            event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,referrer,url,conversion,value
            m1,2026-03-06T10:00:00Z,u1,a2,identify,,,,,,,,
            m2,2026-03-04T18:00:00Z,,a1,touch,,bing,cpc,brand,,,,
            m3,2026-03-07T09:00:00Z,,a9,touch,,,,,https://news.example/,,,
            m4,2026-03-07T10:00:00Z,,a9,conversion,,,,,,,purchase,30
            """;
        var more = CliRunner.TempFile("more.csv", More);
        var third = CliRunner.Run("import", "--store", store, more);
        Assert.Equal(0, third.ExitCode);
        Assert.Contains("snapshot updated with the new events", third.Error, StringComparison.Ordinal);
        var both = CliRunner.TempFile("both.csv", Events.TrimEnd() + "\n" + string.Join('\n', More.Split('\n').Skip(1)));
        foreach (var args in new[] { new[] { "compare", "--format", "csv" }, ["markov", "--order", "2", "--format", "csv"], ["paths", "--format", "csv", "--section", "paths"] })
        {
            var fromStore = CliRunner.Run([.. args, "--store", store]);
            Assert.DoesNotContain("snapshot", fromStore.Error, StringComparison.Ordinal);
            Assert.Equal(CliRunner.Run([.. args, "--events", both]).Out, fromStore.Out);
        }

        Assert.Equal(0, CliRunner.Run("paths", "--store", store, "--write-path-table", tableStore).ExitCode);
        Assert.Equal(0, CliRunner.Run("paths", "--events", both, "--write-path-table", tableFile).ExitCode);
        Assert.Equal(File.ReadAllText(tableFile), File.ReadAllText(tableStore));
    }

    [Fact]
    public void CostsGiveRoasAndCpaPerChannel()
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var store = Path.Combine(Path.GetDirectoryName(file)!, "data.duckdb");
        Assert.Equal(0, CliRunner.Run("import", "--store", store, file).ExitCode);
        var costs = Path.Combine(Path.GetDirectoryName(file)!, "costs.csv");
        File.WriteAllText(costs, "date,channel,campaign,cost,currency\n2026-03-01,Paid Search,brand,20,EUR\n2026-03-02,Paid Search,brand,30,EUR\n2026-03-01,Display,,15,EUR\nbad-date,Email,,1,EUR\n");
        var imported = CliRunner.Run("costs", "import", "--store", store, costs);
        Assert.Equal(0, imported.ExitCode);
        Assert.Contains("line 5: date 'bad-date'", imported.Error);

        var r = CliRunner.Run("report", "--store", store, "--model", "first-touch", "--roi", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.Equal("channel,conversions,value,cost,roas,cpa", lines[0]);
        Assert.Contains("Paid Search,1,100,50,2,50", lines);
        Assert.Contains("Display,0,0,15,0,", lines);
    }

    [Fact]
    public void CostsInTwoCurrenciesAskForOneAndGiveTheRoiOfTheOneChosen()
    {
        var file = CliRunner.TempFile("events.csv", Events);
        var costs = Path.Combine(Path.GetDirectoryName(file)!, "costs-two.csv");
        File.WriteAllText(costs, "date,channel,campaign,cost,currency\n2026-03-01,Paid Search,brand,20,EUR\n2026-03-01,Paid Search,brand,30,USD\n");

        var ambiguous = CliRunner.Run("report", "--events", file, "--model", "first-touch", "--roi", "--costs", costs);
        var eur = CliRunner.Run("report", "--events", file, "--model", "first-touch", "--roi", "--costs", costs, "--currency", "EUR", "--format", "csv");

        Assert.Equal(2, ambiguous.ExitCode);
        Assert.EndsWith("choose one with --currency EUR or --currency USD", ambiguous.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, eur.ExitCode);
        Assert.Contains("Paid Search,1,100,20,5,20", eur.Out.Split('\n').Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void ReportsReadAServerWorkspaceWithWorkspace()
    {
        // A workspace's events live in a schema of the server's store; reports used to have no way to them.
        var file = CliRunner.TempFile("events.csv", Events);
        var store = Path.Combine(Path.GetDirectoryName(file)!, "server.duckdb");
        Assert.Equal(0, CliRunner.Run("workspace", "create", "shop", "--store", store).ExitCode);
        Assert.Equal(0, CliRunner.Run("workspace", "create", "other", "--store", store).ExitCode);
        using (var catalog = OpenAttribution.Stores.Workspaces.WorkspaceCatalogs.Open(store))
        using (var events = catalog.OpenEvents(catalog.List().Single(w => w.Name == "shop")))
        using (var import = events.BeginImport())
        {
            OpenAttribution.Core.Events.CsvEventReader.Read(new StringReader(Events), new Forward(import));
            import.Commit();
        }

        var fromFile = CliRunner.Run("compare", "--events", file, "--format", "csv");
        var fromWorkspace = CliRunner.Run("compare", "--store", store, "--workspace", "shop", "--format", "csv");
        var empty = CliRunner.Run("compare", "--store", store, "--workspace", "other", "--format", "csv");
        var unknown = CliRunner.Run("compare", "--store", store, "--workspace", "nope");
        var withoutStore = CliRunner.Run("compare", "--workspace", "shop");

        Assert.Equal(0, fromWorkspace.ExitCode);
        Assert.Equal(fromFile.Out, fromWorkspace.Out);
        Assert.NotEqual(fromFile.Out, empty.Out);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--workspace 'nope': no such workspace", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, withoutStore.ExitCode);
        Assert.Contains("--workspace 'shop' needs --store", withoutStore.Error, StringComparison.Ordinal);
    }

    private sealed class Forward(OpenAttribution.Stores.IStoreImport import) : OpenAttribution.Core.Events.IEventSink
    {
        public void Accept(in OpenAttribution.Core.Events.EventRow row) => import.Add(row);

        // The file's bad row is rejected here as `import` rejects it.
        public void Reject(OpenAttribution.Core.Text.InputError error)
        {
        }
    }

    [Fact]
    public void AnUnknownStoreSchemeIsAClearError()
    {
        var r = CliRunner.Run("report", "--store", "mysql://localhost/db");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("mysql://localhost/db", r.Error);
    }

    [Theory]
    [InlineData("report")]
    [InlineData("workspace", "list")]
    [InlineData("serve")]
    public void AStoreThatCannotBeOpenedIsTheSameClearErrorForEveryCommand(params string[] command)
    {
        var unknown = CliRunner.Run([.. command, "--store", "mysql://localhost/db"]);
        var unreachable = CliRunner.Run([.. command, "--store", "postgresql://postgres:secret@127.0.0.1:1/db"]);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(
            "error: --store 'mysql://localhost/db': unknown scheme; use a DuckDB file path, postgresql://user:pass@host:port/db or clickhouse://host:port/db.",
            unknown.Error.Trim());
        Assert.Equal(2, unreachable.ExitCode);
        Assert.StartsWith("error: --store 'postgresql://postgres:***@127.0.0.1:1/db': Cannot open the store", unreachable.Error, StringComparison.Ordinal);

        // An unknown scheme with a password does not print the password either.
        var secret = CliRunner.Run([.. command, "--store", "mysql://root:hunter2@localhost/db"]);
        Assert.Equal(2, secret.ExitCode);
        Assert.StartsWith("error: --store 'mysql://root:***@localhost/db': unknown scheme", secret.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", secret.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ServeTakesEveryDocumentedSettingAndRefusesBadOnesNamingThem()
    {
        var store = Path.Combine(Path.GetDirectoryName(CliRunner.TempFile("placeholder", string.Empty))!, "serve-settings.duckdb");

        // --queueCapacity used to be refused as an unknown option, though documented.
        var bad = CliRunner.Run("serve", "--store", store, "--queueCapacity", "8", "--maxQueuedReports", "4", "--reportTimeoutSeconds", "30", "--maxMarkovWork", "1e9", "--adminOnlyCosts", "true", "--maxConcurrentReports", "0");
        var notNumber = CliRunner.Run("serve", "--store", store, "--queueCapacity", "lots");

        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: maxConcurrentReports '0' must be at least 1", bad.Error.Trim());
        Assert.NotEqual(0, notNumber.ExitCode);
        Assert.Contains("--queueCapacity", notNumber.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuckDbFileThatIsNotAStoreIsAClearError()
    {
        var store = Path.Combine(Path.GetDirectoryName(CliRunner.TempFile("placeholder", string.Empty))!, "other.duckdb");
        using (var connection = new DuckDBConnection("Data Source=" + store))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE something_else (x INTEGER)";
            command.ExecuteNonQuery();
        }

        var r = CliRunner.Run("report", "--store", store);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--store '{store}': {store}: a DuckDB file with tables (something_else)", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void KillingAnImportMidwayLeavesTheStoreAsItWasAndReadable()
    {
        var dir = Path.GetDirectoryName(CliRunner.TempFile("x", string.Empty))!;
        var store = Path.Combine(dir, "data.duckdb");
        var small = Path.Combine(dir, "small.csv");
        File.WriteAllText(small, Events);
        Assert.Equal(0, CliRunner.Run("import", "--store", store, small).ExitCode);

        var big = Path.Combine(dir, "big.csv");
        Assert.Equal(0, CliRunner.Run("generate", "--people", "1500000", "--out", big, "--seed", "5").ExitCode);

        var cli = Path.Combine(AppContext.BaseDirectory, "attribution.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cli, "import", "--store", store, big])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using (var process = Process.Start(start)!)
        {
            // Let it get well into the file, then kill it hard.
            Thread.Sleep(2500);
            Assert.False(process.HasExited, "the import finished before it could be killed; make the file bigger");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        using (var events = StoreFactory.Open(store))
        {
            Assert.Equal(7, events.CountEvents());
        }

        var report = CliRunner.Run("report", "--store", store, "--format", "csv");
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(CliRunner.Run("report", "--events", small, "--format", "csv").Out, report.Out);
        var again = CliRunner.Run("import", "--store", store, small, "--format", "json");
        Assert.Contains("\"duplicates\": 7", again.Out);
    }
}
