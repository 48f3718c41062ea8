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

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgreSqlSchema _schema;
    private NpgsqlBinaryImporter? _importer;
    private char[] _scratch = new char[256];
    private long _rows;
    private bool _done;

    public PostgreSqlImport(NpgsqlConnection connection, PostgreSqlSchema schema)
    {
        _connection = connection;
        _schema = schema;
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
        importer.Write(PostgreSqlEventStore.TypeName(row.Type), NpgsqlDbType.Text);
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

        // The staging rows are in input order on disk: an index on ord lets the insert below read
        // them in that order without sorting the wide rows.
        PostgreSqlSchema.Execute(_connection, _transaction, $"""
            CREATE INDEX ON {Staging} (ord);
            ANALYZE {Staging};
            SET LOCAL enable_sort = off;
            LOCK TABLE {_schema.Events} IN SHARE ROW EXCLUSIVE MODE;
            """);

        // Under the lock (it conflicts with itself and with writers, not with readers) no other
        // import can take seqs, and this statement's snapshot sees every committed event. The unique
        // index on event_id drops ids stored before and, as rows are inserted in input order,
        // repeats later in this file: the first occurrence wins. Rows without an id are always kept.
        long last;
        using (var max = new NpgsqlCommand($"SELECT coalesce(max(seq), 0) FROM {_schema.Events}", _connection, _transaction))
        {
            last = (long)max.ExecuteScalar()!;
        }

        using var insert = new NpgsqlCommand($"""
            INSERT INTO {_schema.Events} (seq, event_id, ts_ticks, user_id, anonymous_id, type, channel, source, medium,
                                          campaign, content, term, referrer, url, conversion, value)
            SELECT @last + 1 + s.ord,
                   s.event_id, s.ts_ticks, s.user_id, s.anonymous_id, s.type, s.channel, s.source, s.medium,
                   s.campaign, s.content, s.term, s.referrer, s.url, s.conversion, s.value
            FROM {Staging} s
            ORDER BY s.ord
            ON CONFLICT (event_id) DO NOTHING
            """, _connection, _transaction);
        insert.Parameters.AddWithValue("last", last);
        var stored = (long)insert.ExecuteNonQuery();
        _transaction.Commit();
        _done = true;
        return new ImportCounts(stored, _rows - stored);
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
