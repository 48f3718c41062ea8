using System.Globalization;
using Npgsql;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// Applies the events stored since the resolved snapshot was built to it, in the caller's transaction
/// (under the snapshot's advisory lock): the DuckDB store's update (<c>DuckDbSnapshotUpdate</c>, the
/// design in docs/snapshot.md) in PostgreSQL's dialect. Its lookups go through indexes (person keys,
/// links, raw sources, the base's rows by person), so its work follows the batch and the people it
/// touches, not the store. Readers are not blocked: the base chunks are not touched, and the delta
/// tables change by row, which a repeatable-read report sees before or after, never half.
/// </summary>
internal static class PostgreSqlSnapshotUpdate
{
    private const string RawFields = "channel, source, medium, campaign, content, term, referrer, url";

    /// <summary>The snapshot's base and delta rows (what <see cref="Snapshot.CompactionTrigger"/> decides by).</summary>
    public static (long Base, long Delta) Rows(NpgsqlConnection connection, PostgreSqlSchema s)
    {
        using var command = new NpgsqlCommand($"SELECT base_rows, delta_rows FROM {s.SnapshotMeta}", connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    /// <param name="compacting">A compaction runs in the background: only the events to apply decide, not the delta.</param>
    public static bool TryApply(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema s, bool compacting = false)
    {
        long last, baseRows, deltaRows, version;
        int people, users, next;
        using (var command = new NpgsqlCommand($"SELECT last_seq, people, users, next_person, base_rows, delta_rows, ver + 1 FROM {s.SnapshotMeta}", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }

            (last, people, users, next, baseRows, deltaRows, version) = (reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
        }

        var max = Scalar(connection, transaction, $"SELECT coalesce(max(seq), 0) FROM {s.Events}");
        var fresh = Scalar(connection, transaction, $"SELECT count(*) FROM {s.Events} WHERE seq > {last} AND seq <= {max}");
        var limit = Snapshot.CompactionTrigger.BlockingLimit(baseRows);
        if (fresh > limit || (deltaRows > limit && !compacting))
        {
            return false;
        }

        Execute(connection, transaction, $"""
            CREATE TEMP TABLE oa_new ON COMMIT DROP AS
            SELECT seq, ts_ticks AS ts, user_id, anonymous_id, type, value, conversion, {RawFields},
                   CASE WHEN type = 'touch' THEN hash_record_extended(ROW({RawFields}), 0) END AS h
            FROM {s.Events} WHERE seq > {last} AND seq <= {max};
            ANALYZE oa_new;
            CREATE TEMP TABLE oa_raw_sources ON COMMIT DROP AS
            SELECT {RawFields}, min(seq) AS first_seq FROM oa_new n
            WHERE type = 'touch' AND NOT EXISTS (SELECT 1 FROM {s.SnapshotSourceMap} m WHERE m.h = n.h)
            GROUP BY {RawFields};
            """);
        if (Scalar(connection, transaction, "SELECT count(*) FROM oa_raw_sources") > 0)
        {
            PostgreSqlSourceNormaliser.Run(connection, transaction, s, KnownSources(connection, transaction, s));
        }

        Execute(connection, transaction, $"""
            INSERT INTO {s.SnapshotConversions} (id, conversion)
            SELECT ((SELECT count(*) FROM {s.SnapshotConversions}) + row_number() OVER (ORDER BY first_seq) - 1)::int, conversion
            FROM (SELECT conversion, min(seq) AS first_seq FROM oa_new WHERE type = 'conversion' GROUP BY conversion) n
            WHERE NOT EXISTS (SELECT 1 FROM {s.SnapshotConversions} c WHERE c.conversion = n.conversion);

            CREATE TEMP TABLE oa_new_keys ON COMMIT DROP AS
            SELECT 'u' || user_id AS person_key, 0 AS grp, min(seq) AS first_seq FROM oa_new WHERE user_id IS NOT NULL GROUP BY user_id
            UNION ALL
            SELECT 'a' || anonymous_id, 1, min(seq) FROM oa_new WHERE anonymous_id IS NOT NULL GROUP BY anonymous_id;
            ANALYZE oa_new_keys;
            CREATE TEMP TABLE oa_keys ON COMMIT DROP AS
            SELECT k.person_key, k.grp, k.first_seq, p.person
            FROM oa_new_keys k LEFT JOIN {s.SnapshotPeople} p ON p.person_key = k.person_key;
            ANALYZE oa_keys;
            CREATE TEMP TABLE oa_added ON COMMIT DROP AS
            SELECT person_key, ({next} + row_number() OVER (ORDER BY grp, first_seq) - 1)::int AS person, grp, first_seq
            FROM oa_keys WHERE person IS NULL;
            INSERT INTO {s.SnapshotPeople} (person_key, person, grp, first_seq) SELECT person_key, person, grp, first_seq FROM oa_added;
            CREATE TEMP TABLE oa_keyed ON COMMIT DROP AS
            WITH k AS (SELECT person_key, person FROM oa_keys WHERE person IS NOT NULL UNION ALL SELECT person_key, person FROM oa_added)
            SELECT n.seq, n.ts, n.type, n.value, n.conversion, n.h, n.user_id, pu.person AS user_person, pa.person AS anon_person
            FROM oa_new n
            LEFT JOIN k pu ON pu.person_key = 'u' || n.user_id
            LEFT JOIN k pa ON pa.person_key = 'a' || n.anonymous_id;
            ANALYZE oa_keyed;

            CREATE TEMP TABLE oa_changed ON COMMIT DROP AS
            SELECT c.anon, o."user" AS old_user, c."user" AS new_user, c.ts, c.seq
            FROM (SELECT DISTINCT ON (anon_person) anon_person AS anon, user_person AS "user", ts, seq
                  FROM oa_keyed WHERE user_person IS NOT NULL AND anon_person IS NOT NULL
                  ORDER BY anon_person, ts, seq) c
            LEFT JOIN {s.SnapshotLinks} o ON o.anon = c.anon
            WHERE o.anon IS NULL OR (c.ts, c.seq) < (o.ts, o.seq);
            ANALYZE oa_changed;
            DELETE FROM {s.SnapshotLinks} l USING oa_changed c WHERE l.anon = c.anon;
            INSERT INTO {s.SnapshotLinks} (anon, "user", ts, seq) SELECT anon, new_user, ts, seq FROM oa_changed;

            CREATE TEMP TABLE oa_affected ON COMMIT DROP AS
            SELECT DISTINCT person FROM (
                SELECT coalesce(k.user_person, l."user", k.anon_person) AS person
                FROM oa_keyed k LEFT JOIN {s.SnapshotLinks} l ON k.user_person IS NULL AND l.anon = k.anon_person
                UNION ALL SELECT coalesce(old_user, anon) FROM oa_changed
                UNION ALL SELECT new_user FROM oa_changed) a;
            ANALYZE oa_affected;

            CREATE TEMP TABLE oa_rows ON COMMIT DROP AS
            SELECT CASE WHEN r.anon = -1 THEN r.person ELSE coalesce(l."user", r.anon) END AS person,
                   r.ts, r.seq, r.tag, r.value, r.anon
            FROM (SELECT b.person, b.ts, b.seq, b.tag, b.value, b.anon
                  FROM oa_affected a JOIN {s.SnapshotRows} b ON b.person = a.person
                  WHERE NOT EXISTS (SELECT 1 FROM {s.SnapshotDead} d WHERE d.person = a.person)
                  UNION ALL
                  SELECT d.person, d.ts, d.seq, d.tag, d.value, d.anon
                  FROM oa_affected a JOIN {s.SnapshotDelta} d ON d.person = a.person AND d.gone IS NULL
                  UNION ALL
                  SELECT coalesce(k.user_person, -1), k.ts, k.seq,
                         CASE k.type WHEN 'touch' THEN m.id WHEN 'conversion' THEN -2 - c.id ELSE -1 END,
                         CASE WHEN k.type = 'conversion' THEN k.value ELSE 0 END,
                         CASE WHEN k.user_person IS NULL THEN k.anon_person ELSE -1 END
                  FROM oa_keyed k
                  LEFT JOIN {s.SnapshotSourceMap} m ON k.type = 'touch' AND m.h = k.h
                  LEFT JOIN {s.SnapshotConversions} c ON k.type = 'conversion' AND c.conversion = k.conversion) r
            LEFT JOIN {s.SnapshotLinks} l ON r.anon <> -1 AND l.anon = r.anon;
            ANALYZE oa_rows;

            UPDATE {s.SnapshotMeta} SET delta_rows = delta_rows - (SELECT count(*) FROM oa_affected a JOIN {s.SnapshotDelta} d ON d.person = a.person AND d.gone IS NULL)
                                                   + (SELECT count(*) FROM oa_rows);
            UPDATE {s.SnapshotDelta} d SET gone = {version} FROM oa_affected a WHERE d.person = a.person AND d.gone IS NULL;
            INSERT INTO {s.SnapshotChanges} (ver, person) SELECT {version}, person FROM oa_affected;
            DELETE FROM {s.SnapshotDelta} WHERE gone <= {version - Snapshot.SnapshotParts.KeptVersions} AND {version % 20} = 0;
            DELETE FROM {s.SnapshotChanges} WHERE ver <= {version - Snapshot.SnapshotParts.KeptVersions} AND {version % 20} = 0;
            INSERT INTO {s.SnapshotDead} (person, ver)
            SELECT a.person, {version} FROM oa_affected a
            WHERE a.person < {people} AND NOT EXISTS (SELECT 1 FROM {s.SnapshotDead} d WHERE d.person = a.person);
            INSERT INTO {s.SnapshotDelta} (person, ins, grp, first_seq, ts, seq, tag, value, anon, ver)
            SELECT r.person,
                   CASE WHEN r.person < {people} THEN r.person WHEN p.grp = 0 THEN {users} ELSE {people} END,
                   p.grp, p.first_seq, r.ts, r.seq, r.tag, r.value, r.anon, {version}
            FROM oa_rows r JOIN {s.SnapshotPeople} p ON p.person = r.person;

            UPDATE {s.SnapshotMeta} SET
                events = events + {fresh},
                ver = {version},
                purged = greatest(purged, {version - Snapshot.SnapshotParts.KeptVersions}),
                last_seq = {max},
                next_person = next_person + (SELECT count(*) FROM oa_added),
                touch_min = CASE WHEN touches = 0 THEN coalesce(n.lo, 0) ELSE least(touch_min, coalesce(n.lo, touch_min)) END,
                touch_max = CASE WHEN touches = 0 THEN coalesce(n.hi, 0) ELSE greatest(touch_max, coalesce(n.hi, touch_max)) END,
                touches = touches + n.new_touches
            FROM (SELECT min(ts) AS lo, max(ts) AS hi, count(*) AS new_touches FROM oa_new WHERE type = 'touch') n;
            DROP TABLE oa_new, oa_raw_sources, oa_new_keys, oa_keys, oa_added, oa_keyed, oa_changed, oa_affected, oa_rows;
            """);
        return true;
    }

    private static SourceNormaliser KnownSources(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema s)
    {
        var normaliser = new SourceNormaliser("PostgreSQL store");
        using var command = new NpgsqlCommand($"SELECT channel, source, medium, campaign, content, term, referrer FROM {s.SnapshotSources} ORDER BY id", connection, transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            normaliser.Known(new NormalisedSource(reader.Text(0), reader.Text(1), reader.Text(2), reader.Text(3), reader.Text(4), reader.Text(5), reader.Text(6)));
        }

        return normaliser;
    }

    private static readonly bool Trace = Environment.GetEnvironmentVariable("OA_TRACE_SNAPSHOT") == "1";

    /// <summary>Runs the statements one by one (with <c>OA_TRACE_SNAPSHOT=1</c>, printing each one's time).</summary>
    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            PostgreSqlSchema.Execute(connection, transaction, statement);
            if (Trace)
            {
                Console.Error.WriteLine($"snapshot update: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:F1} ms  {statement.Split('\n')[0]}");
            }
        }
    }

    private static long Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
