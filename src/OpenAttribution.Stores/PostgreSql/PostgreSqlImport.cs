using Npgsql;
using NpgsqlTypes;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// One import: a transaction on its own connection. Rows stream by binary COPY into a temporary
/// staging table (numbered in input order); <see cref="Commit"/> locks the events table against other
/// imports, appends the new rows after the current maximum <c>seq</c> and commits. Disposing without
/// committing rolls everything back.
/// </summary>
internal sealed class PostgreSqlImport : IStoreImport
{
    private const string Staging = "pg_temp.oa_staging";

    private const string FastPath = "oa_fast_path";

    /// <summary>Below this many rows a file keeps the event_id index while it is inserted.</summary>
    public const long MinRowsToRebuildIndex = 1_000_000;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgreSqlSchema _schema;
    private readonly long _minRowsToRebuildIndex;
    private NpgsqlBinaryImporter? _importer;
    private char[] _scratch = new char[256];
    private long _rows;
    private bool _done;

    public PostgreSqlImport(NpgsqlConnection connection, PostgreSqlSchema schema, long minRowsToRebuildIndex = MinRowsToRebuildIndex)
    {
        _connection = connection;
        _schema = schema;
        _minRowsToRebuildIndex = minRowsToRebuildIndex;
        try
        {
            _transaction = connection.BeginTransaction();
            PostgreSqlSchema.Execute(connection, _transaction, $"""
                CREATE TEMP TABLE oa_staging (
                    ord bigint NOT NULL,
                    event_id text COLLATE "C",
                    ts_ticks bigint NOT NULL,
                    user_id text,
                    anonymous_id text,
                    type text NOT NULL,
                    channel text,
                    source text,
                    medium text,
                    campaign text,
                    content text,
                    term text,
                    referrer text,
                    url text,
                    conversion text,
                    value double precision NOT NULL
                ) ON COMMIT DROP
                """);
            _importer = connection.BeginBinaryImport(
                $"COPY {Staging} (ord, event_id, ts_ticks, user_id, anonymous_id, type, channel, source, medium, campaign, content, term, referrer, url, conversion, value) FROM STDIN (FORMAT BINARY)");
            _importer.Timeout = TimeSpan.Zero;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Add(in EventRow row)
    {
        var importer = _importer ?? throw new InvalidOperationException("This import is already committed or disposed.");
        importer.StartRow();
        importer.Write(_rows, NpgsqlDbType.Bigint);
        Write(importer, row.EventId);
        importer.Write(row.TimestampTicks, NpgsqlDbType.Bigint);
        Write(importer, row.UserId);
        Write(importer, row.AnonymousId);
        importer.Write(StoredEventType.Name(row.Type), NpgsqlDbType.Text);
        Write(importer, row.Channel);
        Write(importer, row.Source);
        Write(importer, row.Medium);
        Write(importer, row.Campaign);
        Write(importer, row.Content);
        Write(importer, row.Term);
        Write(importer, row.Referrer);
        Write(importer, row.Url);
        Write(importer, row.Conversion);
        importer.Write(row.Value, NpgsqlDbType.Double);
        _rows++;
    }

    public ImportCounts Commit()
    {
        var importer = _importer ?? throw new InvalidOperationException("This import is already committed or disposed.");
        importer.Complete();
        importer.Dispose();
        _importer = null;

        // A file at least as large as the store is cheaper to insert without the event_id index and
        // index afterwards; that needs the exclusive lock (readers wait for this commit), else the
        // lock that only excludes other writers. The estimate is taken before locking, to take the
        // right lock at once.
        var rebuild = _rows >= Math.Max(MaxSeq(), _minRowsToRebuildIndex) && EventIdIndex() is not null;
        PostgreSqlSchema.Execute(_connection, _transaction, $"""
            ANALYZE {Staging};
            LOCK TABLE {_schema.Events} IN {(rebuild ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE")} MODE;
            """);

        // Under the lock (it conflicts with itself and with writers) no other import can take seqs or
        // store ids, and each statement's snapshot sees every committed event.
        var last = MaxSeq();
        var stored = InsertNew(last, rebuild ? EventIdIndex() : null) ?? InsertFirstOccurrences(last);
        _transaction.Commit();
        _done = true;
        return new ImportCounts(stored, _rows - stored);
    }

    private long MaxSeq()
    {
        using var max = new NpgsqlCommand($"SELECT coalesce(max(seq), 0) FROM {_schema.Events}", _connection, _transaction);
        return (long)max.ExecuteScalar()!;
    }

    /// <summary>The name of the unique index on <c>event_id</c> (created with the schema).</summary>
    private string? EventIdIndex()
    {
        using var command = new NpgsqlCommand("""
            SELECT c.relname
            FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = @t::regclass AND i.indisunique AND i.indnatts = 1 AND a.attname = 'event_id'
            """, _connection, _transaction);
        command.Parameters.AddWithValue("t", _schema.Events);
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// The fast path: an anti-join drops ids already stored, and a plain insert stores the rest (with
    /// <paramref name="dropIndex"/>, the unique index is dropped first and built again after). Returns
    /// null, with nothing changed, when an id repeats within this file (the unique index refuses the
    /// second one); rows without an id are always kept.
    /// </summary>
    private long? InsertNew(long last, string? dropIndex)
    {
        _transaction.Save(FastPath);
        try
        {
            if (dropIndex is not null)
            {
                PostgreSqlSchema.Execute(_connection, _transaction, $"DROP INDEX {_schema.Qualified(dropIndex)}");
            }

            using var insert = Insert(last, $"WHERE NOT EXISTS (SELECT FROM {_schema.Events} e WHERE e.event_id = s.event_id)");
            var stored = (long)insert.ExecuteNonQuery();
            if (dropIndex is not null)
            {
                PostgreSqlSchema.Execute(_connection, _transaction, $"""
                    SET LOCAL maintenance_work_mem = '512MB';
                    CREATE UNIQUE INDEX {PostgreSqlSchema.Quote(dropIndex)} ON {_schema.Events} (event_id);
                    """);
            }

            _transaction.Release(FastPath);
            return stored;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            _transaction.Rollback(FastPath);
            return null;
        }
    }

    /// <summary>
    /// For a file that repeats ids: rows go in input order through <c>ON CONFLICT DO NOTHING</c>, so the
    /// unique index drops ids stored before and every later repeat: the first occurrence wins. The
    /// staging rows are in input order on disk; an index on ord reads them so without sorting.
    /// </summary>
    private long InsertFirstOccurrences(long last)
    {
        PostgreSqlSchema.Execute(_connection, _transaction, $"""
            CREATE INDEX ON {Staging} (ord);
            SET LOCAL enable_sort = off;
            """);
        using var insert = Insert(last, "ORDER BY s.ord ON CONFLICT (event_id) DO NOTHING");
        return (long)insert.ExecuteNonQuery();
    }

    private NpgsqlCommand Insert(long last, string tail)
    {
        var insert = new NpgsqlCommand($"""
            INSERT INTO {_schema.Events} (seq, event_id, ts_ticks, user_id, anonymous_id, type, channel, source, medium,
                                          campaign, content, term, referrer, url, conversion, value)
            SELECT @last + 1 + s.ord,
                   s.event_id, s.ts_ticks, s.user_id, s.anonymous_id, s.type, s.channel, s.source, s.medium,
                   s.campaign, s.content, s.term, s.referrer, s.url, s.conversion, s.value
            FROM {Staging} s
            {tail}
            """, _connection, _transaction);
        insert.Parameters.AddWithValue("last", last);
        return insert;
    }

    public void Dispose()
    {
        try
        {
            // Disposing an unfinished COPY cancels it; the rollback then discards the staging table.
            _importer?.Dispose();
            _importer = null;
            if (!_done)
            {
                _transaction.Rollback();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The connection is broken: closing it below ends the transaction on the server too.
        }
        finally
        {
            _done = true;
            _transaction.Dispose();
            _connection.Dispose();
        }
    }

    private void Write(NpgsqlBinaryImporter importer, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            importer.WriteNull();
            return;
        }

        if (text.Length > _scratch.Length)
        {
            _scratch = new char[Math.Max(text.Length, _scratch.Length * 2)];
        }

        text.CopyTo(_scratch);
        importer.Write(new ReadOnlyMemory<char>(_scratch, 0, text.Length), NpgsqlDbType.Text);
    }
}
