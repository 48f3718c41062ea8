using DuckDB.NET.Data;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// One import into a <see cref="DuckDbEventStore"/>, on its own connection: the rows go through the
/// Appender into a connection-local staging table inside one transaction; <see cref="Commit"/> moves
/// the new ones into <c>events</c> and commits. Until then the store file is untouched, so a dispose
/// without commit (a rollback) or a killed process leaves the store as it was.
/// </summary>
internal sealed class DuckDbImport : IStoreImport
{
    private const string Staging = "oa_import_staging";

    /// <summary>
    /// Keeps the first row of each event id that is not stored yet (min(ord) per id, anti-joined with
    /// the stored ids) and every row without an id; numbers them after the stored maximum seq.
    /// </summary>
    private static readonly string InsertNew = $"""
        INSERT INTO events (seq, {DuckDbSchema.EventColumns})
        SELECT base.max_seq + s.ord, {string.Join(", ", DuckDbSchema.EventColumns.Split(", ").Select(c => "s." + c))}
        FROM temp.main.{Staging} AS s
        CROSS JOIN (SELECT coalesce(max(seq), 0) AS max_seq FROM events) AS base
        WHERE s.event_id IS NULL
           OR s.ord IN (
                SELECT min(f.ord)
                FROM temp.main.{Staging} AS f
                WHERE f.event_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.event_id = f.event_id)
                GROUP BY f.event_id)
        ORDER BY s.ord
        """;

    private readonly DuckDbEventStore _store;
    private readonly DuckDBConnection _connection;
    private readonly DuckDBTransaction _transaction;
    private readonly DuckDbChunkWriter _writer;
    private bool _finished;

    public DuckDbImport(DuckDbEventStore store, DuckDBConnection connection)
    {
        _store = store;
        _connection = connection;
        try
        {
            // Created outside the transaction: the transaction then touches the store's own tables
            // only in Commit, so its snapshot of them is taken there, under the store's commit lock.
            DuckDbSchema.Execute(connection, DuckDbSchema.CreateStaging("temp.main." + Staging));
            _transaction = connection.BeginTransaction();
            _writer = new DuckDbChunkWriter(connection, "temp", Staging);
        }
        catch
        {
            _transaction?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    public void Add(in EventRow row)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _writer.Add(row);
    }

    public ImportCounts Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        _writer.Close();
        var staged = _writer.Count;
        long stored;
        lock (_store.CommitLock)
        {
            stored = staged == 0 ? 0 : DuckDbSchema.Execute(_connection, InsertNew);
            _transaction.Commit();
        }

        return new ImportCounts(stored, staged - stored);
    }

    public void Dispose()
    {
        _finished = true;
        _writer?.Dispose();
        _transaction?.Dispose();
        _connection.Dispose();
    }
}
