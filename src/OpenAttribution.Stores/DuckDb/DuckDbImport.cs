using DuckDB.NET.Data;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// One import into a <see cref="DuckDbEventStore"/>, on its own connection. The rows go through the
/// Appender into a staging table that is TEMP (private to the connection, kept in memory and DuckDB's
/// temporary spill folder, never in the store file), in one transaction. <see cref="Commit"/> commits
/// that load, then in a second transaction, under the store's commit lock, deletes the duplicates
/// from the staging table, appends the rest to <c>events</c> and commits. The duplicate check runs
/// only where it can find something: repeats within the import only when two of its event ids hashed
/// alike (<see cref="EventIdHashSet"/>; distinct hashes prove distinct ids), stored ids only when the
/// store holds events. Until that last commit the store file is untouched, so a dispose without
/// commit or a killed process leaves the store as it was. (Doing the dedup and insert in the loading
/// transaction would work too, but DuckDB scans uncommitted rows about twice as slowly: 13 s instead
/// of 7 s for 10M events.)
/// </summary>
internal sealed class DuckDbImport : IDuckDbImport
{
    private const string Staging = "oa_import_staging";

    /// <summary>
    /// Deletes from the staging table every row whose event id came earlier in this import (the first
    /// occurrence, in input order, stays). Rows without an id are always kept. Run only when the
    /// import's id hashes (<see cref="EventIdHashSet"/>) did not rule repeats out.
    /// </summary>
    private const string DeleteRepeats = $"""
        DELETE FROM temp.main.{Staging} WHERE ord IN (
            SELECT s.ord
            FROM temp.main.{Staging} AS s
            JOIN (SELECT event_id, min(ord) AS first
                  FROM temp.main.{Staging}
                  WHERE event_id IS NOT NULL
                  GROUP BY event_id
                  HAVING count(*) > 1) AS repeated
              ON s.event_id = repeated.event_id AND s.ord > repeated.first)
        """;

    /// <summary>Deletes from the staging table every row whose event id is already stored. Run only when the store holds events.</summary>
    private const string DeleteStored = $"""
        DELETE FROM temp.main.{Staging} WHERE ord IN (
            SELECT s.ord
            FROM temp.main.{Staging} AS s
            SEMI JOIN events AS e ON e.event_id = s.event_id)
        """;

    /// <summary>
    /// Appends the remaining rows after the stored ones, numbered after the stored maximum seq. A scan
    /// of one table with no join keeps the staging order (DuckDB's order preservation), so the rows
    /// land in <c>events</c> in seq order and a plain scan of <c>events</c> reads them in input order.
    /// </summary>
    private const string InsertNew = $"""
        INSERT INTO events (seq, {DuckDbSchema.EventColumns})
        SELECT $1 + ord, {DuckDbSchema.EventColumns}
        FROM temp.main.{Staging}
        """;

    private readonly DuckDbEventStore _store;
    private readonly bool _checkIds;
    private readonly DuckDBConnection _connection;
    private readonly DuckDBTransaction _load;
    private readonly DuckDbChunkWriter _writer;
    private readonly EventIdHash _hash;
    private EventIdHashSet? _ids;
    private volatile bool _repeatsPossible;
    private bool _finished;

    /// <param name="checkIds">False when the caller guarantees new, distinct event ids (<see cref="ICheckedIdsImport"/>): no duplicate check.</param>
    /// <param name="hash">The hash of event ids used to rule out repeats (tests pass one that collides).</param>
    public DuckDbImport(DuckDbEventStore store, DuckDBConnection connection, bool checkIds = true, EventIdHash? hash = null)
    {
        _store = store;
        _checkIds = checkIds;
        _hash = hash ?? EventIdHashSet.XxHash3Of;
        _ids = checkIds ? new EventIdHashSet() : null;
        _connection = connection;
        try
        {
            DuckDbSchema.Execute(connection, DuckDbSchema.CreateStaging("temp.main." + Staging));
            _load = connection.BeginTransaction();
            _writer = new DuckDbChunkWriter(connection, "temp", Staging, _ids is null ? null : AddHashes);
        }
        catch
        {
            _load?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    public void Add(in EventRow row)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_ids is not null && !_repeatsPossible && !row.EventId.IsEmpty)
        {
            // The hash goes with the row to the appending thread, which adds it to the set (AddHashes).
            _writer.Add(row, _hash(row.EventId));
        }
        else
        {
            _writer.Add(row);
        }
    }

    /// <summary>
    /// True once two event ids of this import hashed alike (or too many to tell): the commit then runs
    /// <see cref="DeleteRepeats"/>. Final after the writer is closed.
    /// </summary>
    public bool RepeatsPossible => _repeatsPossible || !_checkIds;

    /// <summary>On the appending thread: adds a chunk's id hashes to the set; a repeat ends the hashing.</summary>
    private void AddHashes(ReadOnlySpan<ulong> hashes)
    {
        // _ids is null once the import is finished (or was disposed while this thread still ran).
        if (_repeatsPossible || _ids is not { } ids)
        {
            return;
        }

        foreach (var hash in hashes)
        {
            if (!ids.Add(hash))
            {
                // The id may repeat an earlier one (or the set is full): the SQL check settles it at
                // commit, for every row; the set is no longer needed.
                _repeatsPossible = true;
                return;
            }
        }
    }

    public ImportCounts Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        _writer.Close();
        var repeatsPossible = RepeatsPossible;
        _ids = null;
        _load.Commit();
        var staged = _writer.Count;
        long stored = 0, duplicates = 0;
        lock (_store.CommitLock)
        {
            // Begun under the lock, so the transaction sees every import committed before it.
            using var transaction = _connection.BeginTransaction();
            if (staged > 0)
            {
                var last = MaxSeq();
                if (_checkIds && repeatsPossible)
                {
                    duplicates += DuckDbSchema.Execute(_connection, DeleteRepeats);
                }

                if (_checkIds && last > 0)
                {
                    duplicates += DuckDbSchema.Execute(_connection, DeleteStored);
                }

                using var insert = _connection.CreateCommand();
                insert.CommandText = InsertNew;
                insert.Parameters.Add(new DuckDBParameter(last));
                stored = insert.ExecuteNonQuery();
                if (stored + duplicates != staged)
                {
                    throw new InvalidOperationException($"DuckDB import: {staged} rows staged but {stored} stored and {duplicates} dropped as duplicates; nothing was stored.");
                }
            }

            transaction.Commit();
        }

        return new ImportCounts(stored, duplicates);
    }

    /// <summary>The largest stored seq (0 for an empty store: stored seqs start at 1) as this import's transaction sees it.</summary>
    private long MaxSeq()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(seq), 0) FROM events";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _finished = true;
        _ids = null;
        _writer?.Dispose();
        _load?.Dispose();
        _connection.Dispose();
    }
}
