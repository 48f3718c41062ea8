using System.Globalization;
using DuckDB.NET.Data;
using OpenAttribution.Core.Channels;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The store's resolved snapshot: identity stitching, dense person ids and normalised traffic
/// sources, kept in the file beside <c>events</c> until an import changes the events (the snapshot
/// records the event count and the last <c>seq</c> it was built from).
/// <list type="bullet">
/// <item><c>snapshot_sources</c>: each distinct normalised traffic source (the event's channel, GA4
/// source / medium / campaign / content / term after <see cref="TrafficSourceResolver"/>, and the raw
/// referrer): what channel rules read. Normalising does not depend on the rules, so the snapshot
/// keeps it; a report classifies only these few rows with its own rules.</item>
/// <item><c>snapshot_conversions</c>: each conversion name;</item>
/// <item><c>snapshot_events</c>: per event its person, time, type, source id, conversion id and value,
/// ordered by person, time and input order, so journeys need no sorting.</item>
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
    /// <summary>Bumped whenever the snapshot's layout or the normalisation of traffic sources changes.</summary>
    private const string Version = "2";

    /// <summary>
    /// A touch's raw source fields as one 64-bit hash (the whole URL: reducing it to host and query in
    /// SQL cost more than it saved, since ad click ids keep most URLs distinct anyway):
    /// joining on it is one integer comparison instead of eight nullable strings. The build checks that
    /// the distinct combinations' hashes are distinct.
    /// </summary>
    private const string SourceHash = $"hash(channel, source, medium, campaign, content, term, referrer, url)";

    private const string RawSources = $"""
        CREATE OR REPLACE TEMP TABLE snapshot_raw_sources AS
        SELECT {SourceHash} AS h, channel, source, medium, campaign, content, term, referrer, url, min(seq) AS first_seq
        FROM events WHERE type = 'touch'
        GROUP BY channel, source, medium, campaign, content, term, referrer, url
        """;

    private const string Conversions = """
        CREATE OR REPLACE TABLE snapshot_conversions AS
        SELECT CAST(row_number() OVER (ORDER BY first_seq) - 1 AS INTEGER) AS id, conversion
        FROM (SELECT conversion, min(seq) AS first_seq FROM events WHERE type = 'conversion' GROUP BY conversion)
        """;

    private const string Events = """
        CREATE OR REPLACE TABLE snapshot_events AS
        WITH links AS (
            SELECT anonymous_id, arg_min(user_id, (timestamp_ticks, seq)) AS user_id
            FROM events WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY anonymous_id),
        keyed AS (
            SELECT e.seq, e.timestamp_ticks, e.type, e.value, e.conversion,
                   CASE WHEN e.type = 'touch' THEN SOURCE_HASH END AS h,
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
        LEFT JOIN snapshot_source_map s ON s.h = k.h
        LEFT JOIN snapshot_conversions c ON k.type = 'conversion' AND c.conversion = k.conversion
        ORDER BY p.person, k.timestamp_ticks, k.seq
        """;

    private const string Meta = $"""
        CREATE OR REPLACE TABLE snapshot_meta AS
        SELECT {Version} AS version, (SELECT count(*) FROM events) AS events, (SELECT coalesce(max(seq), 0) FROM events) AS last_seq,
               (SELECT coalesce(max(person) + 1, 0) FROM snapshot_events) AS people,
               (SELECT coalesce(min(ts), 0) FROM snapshot_events WHERE kind = 0) AS touch_min,
               (SELECT coalesce(max(ts), 0) FROM snapshot_events WHERE kind = 0) AS touch_max
        """;

    /// <summary>
    /// Builds the snapshot when it is missing or older than the events. Runs in one transaction, so a
    /// reader never sees half a snapshot, and the snapshot always matches the events it saw.
    /// </summary>
    public static void Ensure(DuckDBConnection connection)
    {
        if (IsCurrent(connection))
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        DuckDbSchema.Execute(connection, RawSources);
        Normalise(connection);
        DuckDbSchema.Execute(connection, Conversions);
        DuckDbSchema.Execute(connection, Events.Replace("SOURCE_HASH", SourceHash, StringComparison.Ordinal));
        DuckDbSchema.Execute(connection, Meta);
        DuckDbSchema.Execute(connection, "DROP TABLE snapshot_raw_sources");
        DuckDbSchema.Execute(connection, "DROP TABLE snapshot_source_map");
        transaction.Commit();
    }

    /// <summary>
    /// Normalises each distinct raw source once, in order of first appearance, into
    /// <c>snapshot_sources</c> (distinct normalised sources, ids in order of first appearance) and the
    /// map from raw hash to normalised id.
    /// </summary>
    private static void Normalise(DuckDBConnection connection)
    {
        var normaliser = new SourceNormaliser("DuckDB store");
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT h, channel, source, medium, campaign, content, term, referrer, url FROM snapshot_raw_sources ORDER BY first_seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                normaliser.Add(
                    unchecked((long)reader.GetFieldValue<ulong>(0)), reader.Text(1), reader.Text(2), reader.Text(3), reader.Text(4),
                    reader.Text(5), reader.Text(6), reader.Text(7), reader.Text(8));
            }
        }

        DuckDbSchema.Execute(connection, """
            CREATE OR REPLACE TABLE snapshot_sources (
                id INTEGER NOT NULL, channel VARCHAR, source VARCHAR, medium VARCHAR, campaign VARCHAR,
                content VARCHAR, term VARCHAR, referrer VARCHAR)
            """);
        // Appenders do not follow the connection's search path: name the schema (the server keeps a
        // workspace per schema).
        var schema = CurrentSchema(connection);
        using (var appender = connection.CreateAppender(schema, "snapshot_sources"))
        {
            for (var i = 0; i < normaliser.Sources.Count; i++)
            {
                var (channel, source, medium, campaign, content, term, referrer) = normaliser.Sources[i];
                appender.CreateRow().AppendValue(i).AppendValue(channel).AppendValue(source).AppendValue(medium)
                    .AppendValue(campaign).AppendValue(content).AppendValue(term).AppendValue(referrer).EndRow();
            }
        }

        DuckDbSchema.Execute(connection, "CREATE OR REPLACE TABLE snapshot_source_map (h UBIGINT NOT NULL, id INTEGER NOT NULL)");
        using (var appender = connection.CreateAppender(schema, "snapshot_source_map"))
        {
            foreach (var (hash, id) in normaliser.Map)
            {
                appender.CreateRow().AppendValue(unchecked((ulong)hash)).AppendValue(id).EndRow();
            }
        }
    }

    /// <summary>Reads the snapshot once, so that the connection's open transaction has started on it.</summary>
    public static void Touch(DuckDBConnection connection) => DuckDbSchema.Execute(connection, "SELECT people FROM snapshot_meta");

    private static string CurrentSchema(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_schema()";
        return (string)command.ExecuteScalar()!;
    }

    public static bool IsCurrent(DuckDBConnection connection)
    {
        if (!Exists(connection))
        {
            return false;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT count(*) FROM snapshot_meta m
            WHERE m.version = {Version} AND m.events = (SELECT count(*) FROM events) AND m.last_seq = (SELECT coalesce(max(seq), 0) FROM events)
            """;
        try
        {
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
        }
        catch (DuckDBException)
        {
            return false; // a snapshot_meta of another layout: rebuild
        }
    }

    private static bool Exists(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = 'snapshot_meta'";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }
}
