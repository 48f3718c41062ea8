using Npgsql;
using OpenAttribution.Core.Events;
using OpenAttribution.Stores.PostgreSql;

namespace OpenAttribution.Stores.Tests.PostgreSql;

/// <summary>
/// The store contract and PostgreSQL specifics against the server of <see cref="PostgresTestServer"/>,
/// each test in fresh schemas that are dropped afterwards. <c>[PostgresFact]</c> on the class skips
/// the inherited contract tests when the server is missing (and OA_REQUIRE_POSTGRES is not 1).
/// </summary>
[PostgresFact]
public sealed class PostgreSqlEventStoreTests : EventStoreContract, IDisposable
{
    private readonly List<string> _schemas = [];

    protected override IEventStore CreateStore() => new PostgreSqlEventStore(PostgresTestServer.WithSchema(NewSchema()));

    public void Dispose() => PostgresTestServer.DropSchemas(_schemas);

    [Fact]
    public void AUriBecomesAConnectionStringAndTheDescriptionNeverShowsThePassword()
    {
        var location = PostgreSqlLocation.Parse("postgresql://ann:s%40cr%3Aet@db.example:6543/shop?schema=attr_1&sslmode=require&connect_timeout=7");
        var builder = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("ann", builder.Username);
        Assert.Equal("s@cr:et", builder.Password);
        Assert.Equal("shop", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
        Assert.Equal("attr_1", location.Schema);
        Assert.Equal("PostgreSQL ann@db.example:6543/shop (schema attr_1)", location.Description);
        Assert.DoesNotContain("cr", location.ToString(), StringComparison.Ordinal);

        var defaults = PostgreSqlLocation.Parse("postgres://bob@[::1]/events");
        Assert.Equal("::1", new NpgsqlConnectionStringBuilder(defaults.ConnectionString).Host);
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(defaults.ConnectionString).Port);
        Assert.Equal("public", defaults.Schema);
        Assert.Equal("PostgreSQL bob@[::1]:5432/events (schema public)", defaults.Description);
    }

    [Theory]
    [InlineData("mysql://u:topsecret@h/db")]
    [InlineData("postgresql://u:topsecret@h:99999/db")]
    [InlineData("postgresql://u:topsecret@h/db?schema=drop%20table")]
    [InlineData("postgresql://u:topsecret@h/db?schema=1abc")]
    [InlineData("postgresql://u:topsecret@h/db?colour=blue")]
    [InlineData("postgresql://u:topsecret@h/db/extra")]
    public void BadUrisAreRejectedWithoutEchoingThePassword(string uri)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgreSqlLocation.Parse(uri));
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void TheSchemaIsCreatedWithAVersionAndReopenedAsItWas()
    {
        var uri = PostgresTestServer.WithSchema(NewSchema());
        using (var store = new PostgreSqlEventStore(uri))
        {
            Assert.DoesNotContain(":", store.Description.Split(' ')[1].Split('@')[0], StringComparison.Ordinal);
            Import(store, Header + "\n" + "e1,2026-03-01T09:30:00.1234567Z,u1,,touch,Email,,,,,,,,,\n");
        }

        using (var reopened = new PostgreSqlEventStore(uri))
        {
            Assert.Equal(1, reopened.CountEvents());
            Assert.Equal(new ImportCounts(0, 1), Import(reopened, Header + "\n" + "e1,2026-03-01T09:30:00Z,u1,,touch,Email,,,,,,,,,\n"));
        }

        using var connection = PostgresTestServer.Connect();
        using var command = new NpgsqlCommand(
            $"SELECT (SELECT value FROM \"{_schemas[^1]}\".oa_meta WHERE key = 'schema_version'), " +
            $"(SELECT occurred_at FROM \"{_schemas[^1]}\".events WHERE event_id = 'e1')",
            connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("1", reader.GetString(0));
        Assert.Equal(new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc).AddTicks(1234570), reader.GetDateTime(1));
    }

    [PostgresFact]
    public void AStoreOfANewerVersionIsRefused()
    {
        var uri = PostgresTestServer.WithSchema(NewSchema());
        new PostgreSqlEventStore(uri).Dispose();
        using (var connection = PostgresTestServer.Connect())
        using (var command = new NpgsqlCommand($"UPDATE \"{_schemas[^1]}\".oa_meta SET value = '2' WHERE key = 'schema_version'", connection))
        {
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<NotSupportedException>(() => new PostgreSqlEventStore(uri));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void ConcurrentImportsTakeContiguousSeqsInCommitOrder()
    {
        var uri = PostgresTestServer.WithSchema(NewSchema());
        using var store = new PostgreSqlEventStore(uri);
        using var other = new PostgreSqlEventStore(uri);
        using var a = store.BeginImport();
        using var b = other.BeginImport();
        // Rows of both imports arrive interleaved; "s" ids are shared by both files.
        for (var i = 0; i < 500; i++)
        {
            var forward = i % 3 == 0 ? "s" + i : null;
            Add(a, forward ?? "a" + i);
            Add(b, forward ?? "b" + i);
        }

        var second = b.Commit();
        var first = a.Commit();
        Assert.Equal(new ImportCounts(500, 0), second);
        Assert.Equal(new ImportCounts(333, 167), first);

        var ids = new List<string>();
        store.ReadEvents(new Ids(ids));
        Assert.Equal(833, ids.Count);
        Assert.All(ids.Take(500), id => Assert.True(id[0] is 'b' or 's'));
        Assert.All(ids.Skip(500), id => Assert.Equal('a', id[0]));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i % 3 == 0 ? "s" + i : "b" + i), ids.Take(500));

        // Two commits racing: each import's rows stay one block of consecutive seqs.
        var imports = Enumerable.Range(0, 4).Select(_ => store.BeginImport()).ToList();
        for (var i = 0; i < 2000; i++)
        {
            for (var k = 0; k < imports.Count; k++)
            {
                Add(imports[k], null, "p" + k);
            }
        }

        Parallel.ForEach(imports, import =>
        {
            Assert.Equal(new ImportCounts(2000, 0), import.Commit());
            import.Dispose();
        });
        using var connection = PostgresTestServer.Connect();
        using var blocks = new NpgsqlCommand(
            $"SELECT anonymous_id, max(seq) - min(seq) + 1, count(*) FROM \"{_schemas[^1]}\".events WHERE anonymous_id LIKE 'p%' GROUP BY anonymous_id",
            connection);
        using var reader = blocks.ExecuteReader();
        var seen = 0;
        while (reader.Read())
        {
            seen++;
            Assert.Equal(2000, reader.GetInt64(1));
            Assert.Equal(2000, reader.GetInt64(2));
        }

        Assert.Equal(4, seen);
    }

    [PostgresFact]
    public void ReadingStopsWhenCancelled()
    {
        using var store = CreateStore();
        using (var import = store.BeginImport())
        {
            for (var i = 0; i < 50_000; i++)
            {
                Add(import, "e" + i);
            }

            import.Commit();
        }

        using var cancel = new CancellationTokenSource();
        var sink = new CancelAfter(cancel, 10_000);
        Assert.ThrowsAny<OperationCanceledException>(() => store.ReadEvents(sink, cancel.Token));
        Assert.InRange(sink.Seen, 10_000, 10_000 + 4096);
        Assert.Equal(50_000, store.ReadEvents(new EventTableBuilder()));
    }

    [PostgresFact]
    public void AFileInsertedWithoutTheEventIdIndexDropsDuplicatesAndRestoresTheIndex()
    {
        var schema = NewSchema();
        using var store = new PostgreSqlEventStore(PostgresTestServer.WithSchema(schema));
        // Threshold 0: every file takes the path that drops the index and builds it again.
        ImportCounts ImportAll(params string?[] ids)
        {
            using var import = new PostgreSqlImport(PostgresTestServer.Connect(), new PostgreSqlSchema(schema), minRowsToRebuildIndex: 0);
            foreach (var id in ids)
            {
                Add(import, id);
            }

            return import.Commit();
        }

        Assert.Equal(new ImportCounts(3, 1), ImportAll("e1", "e1", null, null)); // a repeat within the file: the ON CONFLICT path
        Assert.Equal(new ImportCounts(2, 1), ImportAll("e1", "e2", "e3"));
        Assert.Equal(new ImportCounts(0, 2), ImportAll("e2", "e3"));
        Assert.Equal(5, store.CountEvents());

        using var connection = PostgresTestServer.Connect();
        using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = @s AND tablename = 'events' AND indexdef LIKE 'CREATE UNIQUE INDEX % (event_id)'", connection);
        command.Parameters.AddWithValue("s", schema);
        Assert.Equal(1L, command.ExecuteScalar());
    }

    private string NewSchema()
    {
        var schema = "oa_test_" + Guid.NewGuid().ToString("N");
        _schemas.Add(schema);
        PostgresTestServer.EnsureReachable();
        return schema;
    }

    private static void Add(IStoreImport import, string? eventId, string anonymousId = "a1") =>
        import.Add(new EventRow
        {
            Line = 1,
            TimestampTicks = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).Ticks,
            Type = EventType.Touch,
            Value = 0,
            EventId = eventId,
            AnonymousId = anonymousId,
            Channel = "Email",
        });

    private sealed class Ids(List<string> ids) : IEventSink
    {
        public void Accept(in EventRow row) => ids.Add(row.EventId.ToString());

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }

    private sealed class CancelAfter(CancellationTokenSource cancel, int rows) : IEventSink
    {
        public int Seen { get; private set; }

        public void Accept(in EventRow row)
        {
            if (++Seen == rows)
            {
                cancel.Cancel();
            }
        }

        public void Reject(Core.Text.InputError error) => throw new InvalidOperationException(error.ToString());
    }
}
