using DuckDB.NET.Data;
using OpenAttribution.Core.Events;
using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Stores.Tests.DuckDb;

/// <summary>The store contract on a fresh temporary DuckDB file per test, plus what is DuckDB's own.</summary>
public sealed class DuckDbEventStoreTests : EventStoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oa-duckdb-tests-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_folder, "store.duckdb");

    protected override IEventStore CreateStore() => new DuckDbEventStore(StorePath);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Touch(string id, string channel) => $"{id},2026-03-01T09:00:00Z,u1,,touch,{channel},,,,,,,,,\n";

    [Fact]
    public void TheFileAndItsFolderAreCreatedWhenMissing()
    {
        Assert.False(File.Exists(StorePath));
        using (var store = CreateStore())
        {
            Assert.Contains(StorePath, store.Description, StringComparison.Ordinal);
            Assert.Equal(0, store.CountEvents());
        }

        Assert.True(File.Exists(StorePath));
    }

    [Fact]
    public void ReopeningAStoreKeepsItsEventsCostsAndOrder()
    {
        using (var store = CreateStore())
        {
            Import(store, Header + "\n" + Touch("e1", "Email") + Touch("e2", "Display"));
            store.ImportCosts([new CostRow(new DateOnly(2026, 3, 1), "Email", null, 3.5, "EUR")]);
        }

        using (var store = CreateStore())
        {
            Assert.Equal(2, store.CountEvents());
            // The next import continues the input order after the stored events and sees their ids.
            Assert.Equal(new ImportCounts(1, 1), Import(store, Header + "\n" + Touch("e2", "Video") + Touch("e3", "Affiliates")));
            Assert.Equal(["Email", "Display", "Affiliates"], Channels(store));
            Assert.Equal([new CostRow(new DateOnly(2026, 3, 1), "Email", null, 3.5, "EUR")], store.ReadCosts());
        }
    }

    [Fact]
    public void AStoreSurvivesReopeningAfterAnUncommittedImport()
    {
        using (var store = CreateStore())
        {
            Import(store, Header + "\n" + Touch("e1", "Email"));
            var import = store.BeginImport();
            CsvEventReader.Read(new StringReader(Header + "\n" + Touch("e2", "Display") + Touch("e3", "Display")), new Forward(import));
            // The store is closed while the import is still open; the import is never committed.
            store.Dispose();
            import.Dispose();
        }

        using (var store = CreateStore())
        {
            Assert.Equal(1, store.CountEvents());
            Assert.Equal(new ImportCounts(1, 0), Import(store, Header + "\n" + Touch("e2", "Display")));
            Assert.Equal(["Email", "Display"], Channels(store));
        }
    }

    [Fact]
    public void ALargeImportSpanningManyChunksKeepsOrderNullsAndText()
    {
        const int n = 10_000;
        var csv = new System.Text.StringBuilder(Header).Append('\n');
        for (var i = 0; i < n; i++)
        {
            // Long (out-of-line) and short (inline) strings, non-ASCII text, absent fields.
            var campaign = i % 3 == 0 ? string.Empty : "kampagne-" + new string('ü', i % 40) + i;
            var id = i % 5 == 0 ? string.Empty : "e" + (i % 7000);
            csv.Append($"{id},2026-03-01T09:00:00Z,u{i},,touch,,src{i % 13},,{campaign},,,,,,\n");
        }

        using var store = CreateStore();
        var counts = Import(store, csv.ToString());
        var expected = new List<string>();
        var seen = new HashSet<string>();
        for (var i = 0; i < n; i++)
        {
            var id = i % 5 == 0 ? string.Empty : "e" + (i % 7000);
            if (id.Length == 0 || seen.Add(id))
            {
                expected.Add($"{id}|u{i}|src{i % 13}|{(i % 3 == 0 ? string.Empty : "kampagne-" + new string('ü', i % 40) + i)}");
            }
        }

        Assert.Equal(new ImportCounts(expected.Count, n - expected.Count), counts);
        var rows = new List<string>();
        Assert.Equal(expected.Count, store.ReadEvents(new Sink((in r) => rows.Add($"{r.EventId}|{r.UserId}|{r.Source}|{r.Campaign}"))));
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void ImportsOnSeveralThreadsDropDuplicatesAcrossEachOther()
    {
        using var store = CreateStore();
        using var first = store.BeginImport();
        using var second = store.BeginImport();
        CsvEventReader.Read(new StringReader(Header + "\n" + Touch("e1", "Email") + Touch("e2", "Email")), new Forward(first));
        CsvEventReader.Read(new StringReader(Header + "\n" + Touch("e2", "Display") + Touch("e3", "Display")), new Forward(second));
        Assert.Equal(new ImportCounts(2, 0), second.Commit());
        Assert.Equal(new ImportCounts(1, 1), first.Commit());
        Assert.Equal(["Display", "Display", "Email"], Channels(store));

        Parallel.For(0, 8, i => Import(store, Header + "\n" + Touch("p" + i, "Email") + Touch("shared", "Email")));
        Assert.Equal(3 + 8 + 1, store.CountEvents());
    }

    /// <summary>
    /// Two imports begun on a store that holds events, the larger (three record batches, with repeats
    /// of its own, of stored ids and of the other import's ids) committed after the smaller one it
    /// overlaps: it drops every repeat, its rows follow the other's in the stored order, every seq is
    /// distinct and increasing, and no view or table of the imports is left in the file.
    /// </summary>
    [Fact]
    public void AnImportCommittedAfterAnOverlappingOneDropsItsIdsAndFollowsItInOrder()
    {
        const int n = 300_000;
        using (var store = CreateStore())
        {
            Import(store, Header + "\n" + Touch("s1", "Email") + Touch("s2", "Email"));
            using var large = store.BeginImport();
            using var small = store.BeginImport();
            var csv = new System.Text.StringBuilder(Header).Append('\n');
            var expected = new List<string> { "s1|Email", "s2|Email", "b1|Display", "b2|Display" };
            var later = new List<string>();
            for (var i = 0; i < n; i++)
            {
                // Repeats: a stored id, an id of the other import, an id of its own 150,000 rows back.
                var id = i switch
                {
                    7 => "s2",
                    200_000 => "b2",
                    250_001 => "a100001",
                    _ => "a" + i,
                };
                if (i is not (7 or 200_000 or 250_001))
                {
                    later.Add(id + "|Video");
                }

                csv.Append(id).Append(",2026-03-01T09:00:00Z,u,,touch,Video,,,,,,,,,\n");
            }

            CsvEventReader.Read(new StringReader(csv.ToString()), new Forward(large));
            CsvEventReader.Read(new StringReader(Header + "\n" + Touch("b1", "Display") + Touch("s1", "Display") + Touch("b2", "Display")), new Forward(small));
            Assert.Equal(new ImportCounts(2, 1), small.Commit());
            Assert.Equal(new ImportCounts(n - 3, 3), large.Commit());
            expected.AddRange(later);
            var rows = new List<string>();
            store.ReadEvents(new Sink((in r) => rows.Add($"{r.EventId}|{r.Channel}")));
            Assert.Equal(expected, rows);
        }

        Assert.Equal(Convert.ToInt64(n + 1), Convert.ToInt64(Scalar("SELECT count(DISTINCT seq) FROM events"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("", Scalar("SELECT coalesce(string_agg(view_name, ';'), '') FROM duckdb_views() WHERE NOT internal"));
        Assert.Equal("", Scalar("SELECT coalesce(string_agg(table_name, ';'), '') FROM duckdb_tables() WHERE table_name LIKE 'oa_import%'"));
    }

    [Fact]
    public void ARerunLargeImportWritesOnlyItsNewRowsInOrder()
    {
        const int n = 300_000;
        static string Row(string id) => id + ",2026-03-01T09:00:00Z,u,,touch,Video,,,,,,,,,\n";
        using (var store = CreateStore())
        {
            var first = new System.Text.StringBuilder(Header).Append('\n');
            for (var i = 0; i < n; i++)
            {
                first.Append(Row("a" + i));
            }

            Assert.Equal(new ImportCounts(n, 0), ImportCounts(store, first.ToString()));
            Assert.Equal(new ImportCounts(0, n), ImportCounts(store, first.ToString()));

            // Its first batch all stored (so stored ids are filtered in the insert), then new rows, a
            // row without an id, and a new id twice.
            var second = new System.Text.StringBuilder(Header).Append('\n');
            var expected = Enumerable.Range(0, n).Select(i => "a" + i).ToList();
            for (var i = 0; i < 200_000; i++)
            {
                second.Append(Row("a" + i));
            }

            for (var i = 0; i < 100_000; i++)
            {
                second.Append(Row("b" + i));
                expected.Add("b" + i);
            }

            second.Append(Row(string.Empty)).Append(Row("b7")).Append(Row("c1"));
            expected.Add(string.Empty);
            expected.Add("c1");
            Assert.Equal(new ImportCounts(100_002, 200_001), ImportCounts(store, second.ToString()));

            var rows = new List<string>();
            store.ReadEvents(new Sink((in r) => rows.Add(r.EventId.ToString())));
            Assert.Equal(expected, rows);
        }

        Assert.Equal(Convert.ToInt64(n + 100_002), Convert.ToInt64(Scalar("SELECT count(DISTINCT seq) FROM events"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static ImportCounts ImportCounts(IEventStore store, string csv)
    {
        using var import = store.BeginImport();
        CsvEventReader.Read(new StringReader(csv), new Forward(import));
        return import.Commit();
    }

    [Fact]
    public void ALargeImportDisposedWithoutCommitLeavesTheStoreAsItWasAndAnEmptyOneStoresNothing()
    {
        using var store = CreateStore();
        Import(store, Header + "\n" + Touch("s1", "Email"));
        var import = store.BeginImport();
        var csv = new System.Text.StringBuilder(Header).Append('\n');
        for (var i = 0; i < 400_000; i++)
        {
            csv.Append('a').Append(i).Append(",2026-03-01T09:00:00Z,u,,touch,Video,,,,,,,,,\n");
        }

        // Several full batches: the worker is inserting while the rest wait in the queue.
        CsvEventReader.Read(new StringReader(csv.ToString()), new Forward(import));
        import.Dispose();
        import.Dispose();

        using (var empty = store.BeginImport())
        {
            Assert.Equal(new ImportCounts(0, 0), empty.Commit());
        }

        var rows = new List<string>();
        store.ReadEvents(new Sink((in r) => rows.Add($"{r.EventId}|{r.Channel}")));
        Assert.Equal(["s1|Email"], rows);
        Assert.Equal(1, store.CountEvents());
        Import(store, Header + "\n" + Touch("s2", "Email"));
        Assert.Equal(2, store.CountEvents());
    }

    [Fact]
    public void AnImportCannotBeUsedAfterItsCommit()
    {
        using var store = CreateStore();
        using var import = store.BeginImport();
        CsvEventReader.Read(new StringReader(Header + "\n" + Touch("e1", "Email")), new Forward(import));
        Assert.Equal(new ImportCounts(1, 0), import.Commit());
        Assert.Throws<ObjectDisposedException>(() => import.Commit());
        Assert.Equal(new ImportCounts(0, 0), Import(store, Header + "\n"));
    }

    [Fact]
    public void TheSchemaVersionIsWrittenAndANewerOneIsRefused()
    {
        using (CreateStore())
        {
        }

        Assert.Equal("1", Scalar("SELECT value FROM meta WHERE key = 'schema_version'"));
        Scalar("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        var error = Assert.Throws<InvalidDataException>(CreateStore);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAStoreIsRefused()
    {
        Directory.CreateDirectory(_folder);
        Scalar("CREATE TABLE something_else (x INTEGER)");
        var error = Assert.Throws<InvalidDataException>(CreateStore);
        Assert.Contains("not an OpenAttribution store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingCanBeCancelled()
    {
        using var store = CreateStore();
        Import(store, Header + "\n" + Touch("e1", "Email"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => store.ReadEvents(new EventTableBuilder(), cancelled.Token));
    }

    /// <summary>
    /// A new store names the compression of its id columns, and keeps it when reopened: a user id
    /// column of three repeated values, where DuckDB alone would choose a dictionary, is stored with
    /// FSST, as named.
    /// </summary>
    [Fact]
    public void ANewStoreNamesTheCompressionOfItsIdColumnsAndKeepsItWhenReopened()
    {
        using (var store = CreateStore())
        {
            Import(store, Header + "\n" + Touch("e1", "Email"));
        }

        var csv = new System.Text.StringBuilder(Header).Append('\n');
        for (var i = 0; i < 130_000; i++)
        {
            csv.Append($"x{i},2026-03-01T09:00:00Z,a-long-user-name-{i % 3},,touch,Email,,,,,,,,,\n");
        }

        using (var store = CreateStore())
        {
            Import(store, csv.ToString());
        }

        Assert.Equal("FSST", Scalar("SELECT min(compression) FROM pragma_storage_info('events') WHERE column_name = 'user_id' AND segment_type = 'VARCHAR'"));
        Assert.Equal("FSST", Scalar("SELECT max(compression) FROM pragma_storage_info('events') WHERE column_name = 'user_id' AND segment_type = 'VARCHAR'"));
    }

    /// <summary>
    /// A file of several chunks (2048 rows each) whose ids repeat only far apart: the later copies,
    /// in other chunks, are dropped, the first occurrence wins, and rows without an id all stay.
    /// </summary>
    [Fact]
    public void RepeatsWithinAFileAcrossChunksAreDroppedAndTheFirstOccurrenceWins()
    {
        var (csv, expected, repeats) = ManyRows(9_000, repeatEvery: 997);
        using var store = (DuckDbEventStore)CreateStore();
        using var import = store.BeginImport(EventIdHashSet.XxHash3Of);
        CsvEventReader.Read(new StringReader(csv), new Forward(import));
        var counts = import.Commit();
        Assert.True(import.RepeatsPossible);
        Assert.Equal(new ImportCounts(expected.Count, repeats), counts);
        Assert.Equal(expected, Rows(store));
    }

    /// <summary>With distinct ids the hashes prove the file has no repeats: the check is skipped, every row stored.</summary>
    [Fact]
    public void AFileWithDistinctIdsSkipsTheRepeatCheckAndStoresEveryRow()
    {
        var (csv, expected, repeats) = ManyRows(9_000, repeatEvery: 0);
        Assert.Equal(0, repeats);
        using var store = (DuckDbEventStore)CreateStore();
        using var import = store.BeginImport(EventIdHashSet.XxHash3Of);
        CsvEventReader.Read(new StringReader(csv), new Forward(import));
        Assert.Equal(new ImportCounts(expected.Count, 0), import.Commit());
        Assert.False(import.RepeatsPossible);
        Assert.Equal(expected, Rows(store));
    }

    /// <summary>
    /// A hash under which every id collides (two different ids with the same hash): no row is dropped
    /// for a collision alone, the exact check in SQL drops only true repeats.
    /// </summary>
    [Fact]
    public void IdsWhoseHashesCollideAreNotDroppedForThat()
    {
        var (csv, expected, repeats) = ManyRows(5_000, repeatEvery: 701);
        using var store = (DuckDbEventStore)CreateStore();
        using (var import = store.BeginImport(_ => 42))
        {
            CsvEventReader.Read(new StringReader(csv), new Forward(import));
            Assert.Equal(new ImportCounts(expected.Count, repeats), import.Commit());
            Assert.True(import.RepeatsPossible);
        }

        Assert.Equal(expected, Rows(store));

        // The same with distinct ids only: every row stored.
        var (distinct, all, _) = ManyRows(3_000, repeatEvery: 0, prefix: "d");
        using (var import = store.BeginImport(_ => 42))
        {
            CsvEventReader.Read(new StringReader(distinct), new Forward(import));
            Assert.Equal(new ImportCounts(all.Count, 0), import.Commit());
        }

        Assert.Equal(expected.Concat(all), Rows(store));
    }

    /// <summary>Importing the same file again into the store that holds it changes no stored row and adds only rows without an id (spec: always kept).</summary>
    [Fact]
    public void ImportingTheSameFileAgainStoresOnlyItsRowsWithoutAnId()
    {
        var (csv, expected, _) = ManyRows(6_000, repeatEvery: 1_009);
        using var store = CreateStore();
        Import(store, csv);
        var before = Rows(store);
        // Rows without an id cannot be told apart from new ones, so they are stored again.
        var withoutId = expected.Count(r => r.StartsWith('|'));
        Assert.Equal(new ImportCounts(withoutId, 6_000 - withoutId), Import(store, csv));
        var after = Rows(store);
        Assert.Equal(before, after.Take(before.Count));
        Assert.All(after.Skip(before.Count), r => Assert.StartsWith("|", r, StringComparison.Ordinal));
    }

    /// <summary>
    /// <paramref name="n"/> touches: every 7th without an id, every <paramref name="repeatEvery"/>-th
    /// repeating the id of a row about 2,500 rows earlier (another chunk) with another channel. Returns
    /// the file, the rows an import must store (id|channel|user) and the number of repeats.
    /// </summary>
    private static (string Csv, List<string> Expected, int Repeats) ManyRows(int n, int repeatEvery, string prefix = "e")
    {
        var csv = new System.Text.StringBuilder(Header).Append('\n');
        var expected = new List<string>();
        var ids = new string[n];
        var repeats = 0;
        for (var i = 0; i < n; i++)
        {
            var id = i % 7 == 0 ? string.Empty : prefix + i;
            if (repeatEvery > 0 && i > 2_500 && i % repeatEvery == 0 && ids[i - 2_500].Length > 0)
            {
                id = ids[i - 2_500];
                repeats++;
            }
            else
            {
                expected.Add($"{id}|c{i % 5}|u{i}");
            }

            ids[i] = id;
            csv.Append($"{id},2026-03-01T09:00:00Z,u{i},,touch,c{i % 5},,,,,,,,,\n");
        }

        return (csv.ToString(), expected, repeats);
    }

    private static List<string> Rows(IEventStore store)
    {
        var rows = new List<string>();
        store.ReadEvents(new Sink((in r) => rows.Add($"{r.EventId}|{r.Channel}|{r.UserId}")));
        return rows;
    }

    private static List<string> Channels(IEventStore store)
    {
        var channels = new List<string>();
        store.ReadEvents(new Sink((in r) => channels.Add(r.Channel.ToString())));
        return channels;
    }

    private object? Scalar(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=" + StorePath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private delegate void RowAction(in EventRow row);

    private sealed class Sink(RowAction action) : IEventSink
    {
        public void Accept(in EventRow row) => action(row);

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
