namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The store's resolved snapshot: identity stitching, dense person ids and the distinct traffic
/// sources, computed by DuckDB in SQL and kept in the file beside <c>events</c> until an import changes
/// the events (the snapshot records the event count and the last <c>seq</c> it was built from).
/// <list type="bullet">
/// <item><c>snapshot_sources</c>: each distinct combination of the fields that decide a touch's
/// channel (the URL reduced to host and query, as <see cref="Core.Channels.TrafficUrl"/> does);</item>
/// <item><c>snapshot_conversions</c>: each conversion name;</item>
/// <item><c>snapshot_events</c>: per event its person, time, type, source id, conversion id and value,
/// in the order of person, time and input order, so journeys need no sorting.</item>
/// </list>
/// Identity follows spec section 2 exactly as <see cref="Core.Identity.IdentityResolver"/> does: the
/// earliest event with both ids (by time, then input order) links an anonymous id to its user. People
/// are numbered as the in-memory resolver numbers them (users by first appearance, then anonymous ids
/// by first appearance), and traffic sources and conversion names in order of first appearance, so
/// names are interned in the same order, journeys come in the same order and every sum (and every
/// Markov state number) is bit-for-bit the same as from the files.
/// </summary>
internal static class DuckDbSnapshot
{
    private const string ReducedUrl = @"regexp_replace(url, '^([^?]*?://[^/?#]*)[^?]*', '\1')";

    /// <summary>
    /// A touch's source combination as one 64-bit hash: joining on it is one integer comparison instead
    /// of eight nullable strings. <see cref="Ensure"/> checks that the combinations' hashes are distinct.
    /// </summary>
    private const string SourceHash = $"hash(channel, source, medium, campaign, content, term, referrer, {ReducedUrl})";

    private static readonly string[] Build =
    [
        $"""
        CREATE OR REPLACE TABLE snapshot_sources AS
        SELECT CAST(row_number() OVER (ORDER BY first_seq) - 1 AS INTEGER) AS id, h,
               channel, source, medium, campaign, content, term, referrer, url
        FROM (SELECT channel, source, medium, campaign, content, term, referrer, {ReducedUrl} AS url,
                     {SourceHash} AS h, min(seq) AS first_seq
              FROM events WHERE type = 'touch'
              GROUP BY channel, source, medium, campaign, content, term, referrer, {ReducedUrl})
        """,
        """
        CREATE OR REPLACE TABLE snapshot_conversions AS
        SELECT CAST(row_number() OVER (ORDER BY first_seq) - 1 AS INTEGER) AS id, conversion
        FROM (SELECT conversion, min(seq) AS first_seq FROM events WHERE type = 'conversion' GROUP BY conversion)
        """,
        $"""
        CREATE OR REPLACE TABLE snapshot_events AS
        WITH links AS (
            SELECT anonymous_id, arg_min(user_id, (timestamp_ticks, seq)) AS user_id
            FROM events WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY anonymous_id),
        keyed AS (
            SELECT e.seq, e.timestamp_ticks, e.type, e.value, e.conversion,
                   CASE WHEN e.type = 'touch' THEN {SourceHash} END AS h,
                   CASE WHEN e.user_id IS NOT NULL THEN 'u' || e.user_id
                        WHEN l.user_id IS NOT NULL THEN 'u' || l.user_id
                        ELSE 'a' || e.anonymous_id END AS person_key
            FROM events e LEFT JOIN links l ON l.anonymous_id = e.anonymous_id),
        people AS (
            SELECT person_key, CAST(row_number() OVER (ORDER BY grp, first_seq) - 1 AS INTEGER) AS person
            FROM (SELECT 'u' || user_id AS person_key, 0 AS grp, min(seq) AS first_seq
                  FROM events WHERE user_id IS NOT NULL GROUP BY user_id
                  UNION ALL
                  SELECT 'a' || anonymous_id, 1, min(seq)
                  FROM events WHERE anonymous_id IS NOT NULL GROUP BY anonymous_id))
        SELECT p.person,
               k.timestamp_ticks AS ts,
               CAST(CASE k.type WHEN 'touch' THEN 0 WHEN 'conversion' THEN 1 ELSE 2 END AS UTINYINT) AS kind,
               coalesce(s.id, -1) AS src,
               coalesce(c.id, -1) AS conv,
               k.value
        FROM keyed k
        JOIN people p ON p.person_key = k.person_key
        LEFT JOIN snapshot_sources s ON s.h = k.h
        LEFT JOIN snapshot_conversions c ON k.type = 'conversion' AND c.conversion = k.conversion
        ORDER BY p.person, k.timestamp_ticks, k.seq
        """,
        """
        CREATE OR REPLACE TABLE snapshot_meta AS
        SELECT (SELECT count(*) FROM events) AS events, (SELECT coalesce(max(seq), 0) FROM events) AS last_seq,
               (SELECT coalesce(max(person) + 1, 0) FROM snapshot_events) AS people
        """,
    ];

    /// <summary>
    /// Builds the snapshot when it is missing or older than the events. Runs in one transaction, so a
    /// reader never sees half a snapshot, and the snapshot always matches the events it saw.
    /// </summary>
    public static void Ensure(DuckDB.NET.Data.DuckDBConnection connection)
    {
        if (IsCurrent(connection))
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        foreach (var sql in Build)
        {
            DuckDbSchema.Execute(connection, sql);
            if (sql.Contains("TABLE snapshot_sources", StringComparison.Ordinal))
            {
                CheckDistinctHashes(connection);
            }
        }

        transaction.Commit();
    }

    private static void CheckDistinctHashes(DuckDB.NET.Data.DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) - count(DISTINCT h) FROM snapshot_sources";
        var clashes = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (clashes != 0)
        {
            throw new InvalidDataException($"DuckDB store: {clashes} traffic source combinations share a 64-bit hash; the resolved snapshot cannot be built (read the raw events instead).");
        }
    }

    private static bool IsCurrent(DuckDB.NET.Data.DuckDBConnection connection)
    {
        if (!Exists(connection))
        {
            return false;
        }

        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FROM snapshot_meta m
            WHERE m.events = (SELECT count(*) FROM events) AND m.last_seq = (SELECT coalesce(max(seq), 0) FROM events)
            """;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private static bool Exists(DuckDB.NET.Data.DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'snapshot_meta'";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
