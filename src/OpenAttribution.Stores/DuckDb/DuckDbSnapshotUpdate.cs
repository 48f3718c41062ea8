using System.Globalization;
using DuckDB.NET.Data;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// Applies the events stored since the resolved snapshot was built (those after its last seq) to it,
/// in one transaction, with work in proportion to them and to the people they touch:
/// <list type="number">
/// <item>new person keys are numbered after every known one; new raw traffic sources are normalised
/// and appended; new conversion names too;</item>
/// <item>links: an anonymous id's earliest link (by time, then input order) may now be a new event,
/// a late one included; <c>snapshot_links</c> keeps the winner;</item>
/// <item>the affected people: the person of every new event, and for each anonymous id whose link
/// changed its old person and its new one (two people merged by a link, or a device taken from one
/// user to another);</item>
/// <item>their rows (live base rows, delta rows and the new events) are resolved again: a row with a
/// user id stays with its user, a row with only an anonymous id goes to the user its link names, or
/// is the anonymous person's; the affected people's delta rows are replaced, their base rows marked
/// dead (<see cref="Snapshot.SnapshotDelta"/>).</item>
/// </list>
/// A read merges the base and the delta into the order of a full build, so reports are the same bits.
/// When the events to apply, or the delta they would make, are a large part of the base, a full
/// build is less work and <see cref="TryApply"/> declines.
/// </summary>
internal static class DuckDbSnapshotUpdate
{

    /// <summary>Every this many updates, the delta rows older than <see cref="Snapshot.SnapshotParts.KeptVersions"/> updates are deleted.</summary>
    private const long PurgeEvery = 20;

    /// <param name="basePeople">
    /// The base people in memory for the build the update sees, or null to scan for them (a store
    /// that updates once, as an import does, saves the load).
    /// </param>
    /// <param name="compacting">A compaction runs in the background: only the events to apply decide, not the delta.</param>
    public static bool TryApply(DuckDBConnection connection, Func<DuckDBConnection, string, DuckDbBasePeople?>? basePeople = null, bool compacting = false, string suffix = "")
    {
        var on = new Target(connection, suffix);
        using var transaction = connection.BeginTransaction();
        var meta = Meta.Read(connection, suffix);
        var fresh = Scalar(on, $"SELECT count(*) FROM events WHERE seq > {meta.LastSeq}");
        var limit = Snapshot.CompactionTrigger.BlockingLimit(meta.BaseRows);
        if (fresh > limit || (meta.DeltaRows > limit && !compacting))
        {
            return false; // rolled back: nothing was written
        }

        var last = meta.LastSeq;
        var version = meta.Version + 1;
        var purged = version - Snapshot.SnapshotParts.KeptVersions;
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_new AS
            SELECT seq, timestamp_ticks AS ts, user_id, anonymous_id, type, value, conversion,
                   CASE WHEN type = 'touch' THEN {DuckDbSnapshot.SourceHash} END AS h
            FROM events WHERE seq > {last}
            """);
        var lastSeq = Scalar(on, $"SELECT coalesce(max(seq), {last}) FROM oa_new");

        // New raw sources and conversion names, appended in order of first appearance. The few
        // hashes to look for go into the lookups as constants: DuckDB then filters the large tables'
        // hash columns as it scans them instead of joining every row.
        var sourceHashes = Literals(on, "SELECT DISTINCT h FROM oa_new WHERE h IS NOT NULL");
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE snapshot_raw_sources AS
            SELECT {DuckDbSnapshot.SourceHash} AS h, channel, source, medium, campaign, content, term, referrer, url, min(seq) AS first_seq
            FROM events WHERE seq > {last} AND type = 'touch'
              AND {DuckDbSnapshot.SourceHash} NOT IN (SELECT h FROM snapshot_source_map WHERE h IN ({sourceHashes}))
            GROUP BY channel, source, medium, campaign, content, term, referrer, url
            """);
        if (Scalar(on, "SELECT count(*) FROM snapshot_raw_sources") > 0)
        {
            DuckDbSnapshot.Normalise(connection, KnownSources(on), replace: false, suffix);
        }

        Execute(on, """
            INSERT INTO snapshot_conversions
            SELECT CAST((SELECT count(*) FROM snapshot_conversions) + row_number() OVER (ORDER BY first_seq) - 1 AS INTEGER), conversion
            FROM (SELECT conversion, min(seq) AS first_seq FROM oa_new WHERE type = 'conversion' GROUP BY conversion) n
            WHERE conversion NOT IN (SELECT conversion FROM snapshot_conversions)
            """);

        // The new events' person keys: known ones found, new ones numbered after every known key.
        Execute(on, """
            CREATE OR REPLACE TEMP TABLE oa_new_keys AS
            SELECT 'u' || user_id AS person_key, CAST(0 AS UTINYINT) AS grp, min(seq) AS first_seq
            FROM oa_new WHERE user_id IS NOT NULL GROUP BY user_id
            UNION ALL
            SELECT 'a' || anonymous_id, CAST(1 AS UTINYINT), min(seq)
            FROM oa_new WHERE anonymous_id IS NOT NULL GROUP BY anonymous_id
            """);
        // Found by their 128-bit hash alone (a join that reads one fixed-width column, not millions
        // of strings; two keys among billions share one with a chance below 10^-20).
        var keys = Values(on, "SELECT DISTINCT md5_number(person_key) FROM oa_new_keys");
        var keyHashes = Literals(keys, "UHUGEINT");

        // Snapshots built before this index was given up still have it: it goes, so checkpoints stop
        // writing it back (see DuckDbSnapshot.BaseIndex). A no-op once gone.
        Execute(on, "DROP INDEX IF EXISTS snapshot_people_h");
        var known = basePeople?.Invoke(connection, meta.Build) is { } people
            ? KnownBasePeople(keys, people)
            : $"SELECT h, person FROM snapshot_people WHERE h IN ({keyHashes})";
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_keys AS
            SELECT k.person_key, k.grp, k.first_seq, p.person
            FROM oa_new_keys k
            LEFT JOIN ({known}
                       UNION ALL
                       SELECT h, person FROM snapshot_people_new WHERE h IN ({keyHashes})) p
                   ON p.h = md5_number(k.person_key)
            """);
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_added AS
            SELECT person_key, CAST({meta.NextPerson} + row_number() OVER (ORDER BY grp, first_seq) - 1 AS INTEGER) AS person, grp, first_seq
            FROM oa_keys WHERE person IS NULL;
            INSERT INTO snapshot_people_new SELECT person_key, person, grp, first_seq, md5_number(person_key) FROM oa_added;
            """);
        var added = Scalar(on, "SELECT count(*) FROM oa_added");
        Execute(on, """
            CREATE OR REPLACE TEMP TABLE oa_keyed AS
            WITH k AS (SELECT person_key, person FROM oa_keys WHERE person IS NOT NULL
                       UNION ALL SELECT person_key, person FROM oa_added)
            SELECT n.*, pu.person AS user_person, pa.person AS anon_person
            FROM oa_new n
            LEFT JOIN k pu ON pu.person_key = 'u' || n.user_id
            LEFT JOIN k pa ON pa.person_key = 'a' || n.anonymous_id
            """);

        // Links whose winner is now a new event (a new anonymous id's, or an earlier one: a late event).
        var anons = Literals(on, "SELECT DISTINCT anon_person FROM oa_keyed WHERE anon_person IS NOT NULL");
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_changed AS
            SELECT c.anon, o."user" AS old_user, c."user" AS new_user, c.ts, c.seq
            FROM (SELECT anon_person AS anon, arg_min(user_person, (ts, seq)) AS "user",
                         arg_min(ts, (ts, seq)) AS ts, arg_min(seq, (ts, seq)) AS seq
                  FROM oa_keyed WHERE user_person IS NOT NULL AND anon_person IS NOT NULL GROUP BY anon_person) c
            LEFT JOIN (SELECT * FROM snapshot_links WHERE anon IN ({anons})) o ON o.anon = c.anon
            WHERE o.anon IS NULL OR (c.ts, c.seq) < (o.ts, o.seq);
            DELETE FROM snapshot_links WHERE anon IN (SELECT anon FROM oa_changed);
            INSERT INTO snapshot_links SELECT anon, new_user, ts, seq FROM oa_changed;
            """);

        // The people whose rows change: each new event's, and both sides of every changed link.
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_affected AS
            SELECT DISTINCT person FROM (
                SELECT coalesce(k.user_person, l."user", k.anon_person) AS person
                FROM oa_keyed k LEFT JOIN (SELECT * FROM snapshot_links WHERE anon IN ({anons})) l ON l.anon = CASE WHEN k.user_person IS NULL THEN k.anon_person END
                UNION ALL SELECT coalesce(old_user, anon) FROM oa_changed
                UNION ALL SELECT new_user FROM oa_changed)
            """);
        var affected = AffectedList(on);

        // Their rows, resolved again with the links as they are now.
        // The base rows first, by a filter on the person-ordered base alone (row groups pruned), then
        // without the people whose base rows an earlier update superseded.
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_base AS
            SELECT person, ts, kind, src, conv, value, seq, anon FROM snapshot_events WHERE person IN ({affected})
            """);
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_cand AS
            SELECT * FROM (SELECT *, false AS from_delta FROM oa_base WHERE person NOT IN (SELECT person FROM snapshot_dead)
                  UNION ALL
                  SELECT d.person, d.ts, d.kind, d.src, d.conv, d.value, d.seq, d.anon, true
                  FROM snapshot_delta d JOIN snapshot_current c ON c.person = d.person AND c.ver = d.ver
                  WHERE d.person IN ({affected}) AND c.person IN ({affected})
                  UNION ALL
                  SELECT coalesce(k.user_person, -1), k.ts,
                         CAST(CASE k.type WHEN 'touch' THEN 0 WHEN 'conversion' THEN 1 ELSE 2 END AS UTINYINT),
                         coalesce(s.id, -1), coalesce(c.id, -1), k.value, k.seq,
                         CASE WHEN k.user_person IS NULL THEN k.anon_person ELSE -1 END, false
                  FROM oa_keyed k
                  LEFT JOIN (SELECT h, id FROM snapshot_source_map WHERE h IN ({sourceHashes})) s ON s.h = k.h
                  LEFT JOIN snapshot_conversions c ON c.conversion = CASE WHEN k.type = 'conversion' THEN k.conversion END) r
            """);
        var superseded = Scalar(on, "SELECT count(*) FROM oa_cand WHERE from_delta");
        var rowAnons = Literals(on, "SELECT DISTINCT anon FROM oa_cand WHERE anon <> -1");
        Execute(on, $"""
            CREATE OR REPLACE TEMP TABLE oa_rows AS
            SELECT CASE WHEN r.anon = -1 THEN r.person ELSE coalesce(l."user", r.anon) END AS person,
                   r.ts, r.kind, r.src, r.conv, r.value, r.seq, r.anon
            FROM oa_cand r
            LEFT JOIN (SELECT anon, "user" FROM snapshot_links WHERE anon IN ({rowAnons})) l ON l.anon = r.anon
            """);
        // A base person goes back at its own number, so its group and first seq decide nothing
        // (first_seq 0); a new person's come from its key.
        Execute(on, $"""
            DELETE FROM snapshot_current WHERE person IN ({affected});
            INSERT INTO snapshot_current SELECT person, {version} FROM oa_affected;
            INSERT INTO snapshot_changes SELECT {version}, person FROM oa_affected;
            INSERT INTO snapshot_dead
            SELECT person, {version} FROM oa_affected WHERE person < {meta.People} AND person NOT IN (SELECT person FROM snapshot_dead);
            INSERT INTO snapshot_delta
            SELECT r.person,
                   CASE WHEN r.person < {meta.People} THEN r.person WHEN p.grp = 0 THEN {meta.Users} ELSE {meta.People} END,
                   p.grp, p.first_seq, r.ts, r.kind, r.src, r.conv, r.value, r.seq, r.anon, {version}
            FROM oa_rows r
            JOIN (SELECT person, CAST(CASE WHEN person < {meta.Users} THEN 0 ELSE 1 END AS UTINYINT) AS grp, CAST(0 AS BIGINT) AS first_seq
                  FROM oa_affected WHERE person < {meta.People}
                  UNION ALL
                  SELECT person, grp, first_seq FROM snapshot_people_new WHERE person IN ({affected})) p ON p.person = r.person;
            """);
        Execute(on, $"""
            UPDATE snapshot_meta SET
                events = events + {fresh},
                ver = {version},
                purged = greatest(purged, {purged}),
                last_seq = {lastSeq},
                next_person = next_person + {added},
                touch_min = CASE WHEN snapshot_meta.touches = 0 THEN coalesce(n.lo, 0) ELSE least(touch_min, coalesce(n.lo, touch_min)) END,
                touch_max = CASE WHEN snapshot_meta.touches = 0 THEN coalesce(n.hi, 0) ELSE greatest(touch_max, coalesce(n.hi, touch_max)) END,
                touches = snapshot_meta.touches + n.new_touches,
                delta_rows = delta_rows - {superseded} + (SELECT count(*) FROM oa_rows)
            FROM (SELECT min(ts) AS lo, max(ts) AS hi, count(*) AS new_touches FROM oa_new WHERE type = 'touch') n
            """);
        if (version % PurgeEvery == 0 && purged > 0)
        {
            // Rows no kept report can still need: each person's versions before its state at the horizon.
            Execute(on, $"""
                CREATE OR REPLACE TEMP TABLE oa_keep AS
                SELECT person, max(ver) AS ver FROM snapshot_changes WHERE ver <= {purged} GROUP BY person;
                DELETE FROM snapshot_delta d USING oa_keep k WHERE d.person = k.person AND d.ver < k.ver;
                DELETE FROM snapshot_changes c USING oa_keep k WHERE c.person = k.person AND c.ver < k.ver;
                DROP TABLE oa_keep;
                """);
        }

        Execute(on, "DROP TABLE oa_new; DROP TABLE oa_new_keys; DROP TABLE oa_keys; DROP TABLE oa_added; DROP TABLE oa_keyed; DROP TABLE oa_changed; DROP TABLE oa_affected; DROP TABLE oa_base; DROP TABLE oa_cand; DROP TABLE oa_rows; DROP TABLE snapshot_raw_sources");
        var committing = System.Diagnostics.Stopwatch.GetTimestamp();
        transaction.Commit();
        if (Trace)
        {
            Console.Error.WriteLine($"snapshot update: {System.Diagnostics.Stopwatch.GetElapsedTime(committing).TotalMilliseconds,7:F1} ms  commit ({fresh} events, delta {meta.DeltaRows} rows)");
        }

        return true;
    }

    /// <summary>The stored normalised sources, in id order, so new ones are numbered after them.</summary>
    private static SourceNormaliser KnownSources(Target on)
    {
        var normaliser = new SourceNormaliser("DuckDB store");
        using var command = on.Connection.CreateCommand();
        command.CommandText = on.Sql("SELECT channel, source, medium, campaign, content, term, referrer FROM snapshot_sources ORDER BY id");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            normaliser.Known(new NormalisedSource(reader.Text(0), reader.Text(1), reader.Text(2), reader.Text(3), reader.Text(4), reader.Text(5), reader.Text(6)));
        }

        return normaliser;
    }

    /// <summary>
    /// The affected people as a literal list when there are few: DuckDB prunes the person-ordered
    /// base's row groups by a constant list, not by a subquery, so the base is not scanned whole.
    /// </summary>
    private static string AffectedList(Target on)
    {
        const int MaxLiteral = 4096;
        if (Scalar(on, "SELECT count(*) FROM oa_affected") > MaxLiteral)
        {
            return "SELECT person FROM oa_affected";
        }

        using var command = on.Connection.CreateCommand();
        command.CommandText = "SELECT person FROM oa_affected ORDER BY person";
        using var reader = command.ExecuteReader();
        var list = new System.Text.StringBuilder();
        while (reader.Read())
        {
            list.Append(list.Length == 0 ? "" : ",").Append(reader.GetInt32(0).ToString(CultureInfo.InvariantCulture));
        }

        return list.Length == 0 ? "-1" : list.ToString();
    }

    /// <summary>The batch's keys that are base people, found in memory, as a query of constants (h, person).</summary>
    private static string KnownBasePeople(List<object> keys, DuckDbBasePeople people)
    {
        var rows = new System.Text.StringBuilder();
        foreach (var key in keys)
        {
            var text = Convert.ToString(key, CultureInfo.InvariantCulture)!;
            if (people.TryGet(UInt128.Parse(text, CultureInfo.InvariantCulture), out var person))
            {
                rows.Append(rows.Length == 0 ? "" : ",").Append('(').Append(text).Append("::UHUGEINT,").Append(person.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
        }

        return rows.Length == 0
            ? "SELECT NULL::UHUGEINT AS h, NULL::INTEGER AS person WHERE false"
            : $"SELECT * FROM (VALUES {rows}) AS b(h, person)";
    }

    /// <summary>The values of a one-column query as a SQL list of constants ("NULL" for none).</summary>
    private static string Literals(Target on, string sql, string? type = null) => Literals(Values(on, sql), type);

    private static string Literals(List<object> values, string? type)
    {
        var list = new System.Text.StringBuilder();
        foreach (var value in values)
        {
            list.Append(list.Length == 0 ? "" : ",").Append(Convert.ToString(value, CultureInfo.InvariantCulture));

            // Typed constants: a large UBIGINT written bare reads as HUGEINT, and the column would be cast per row.
            if (type is not null)
            {
                list.Append("::").Append(type);
            }
            else if (value is ulong)
            {
                list.Append("::UBIGINT");
            }
        }

        return list.Length == 0 ? "NULL" : list.ToString();
    }

    /// <summary>The values of a one-column query.</summary>
    private static List<object> Values(Target on, string sql)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var command = on.Connection.CreateCommand();
        command.CommandText = on.Sql(sql);
        using var reader = command.ExecuteReader();
        var values = new List<object>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        if (Trace)
        {
            Console.Error.WriteLine($"snapshot update: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:F1} ms  {sql}");
        }

        return values;
    }

    private static readonly bool Trace = Environment.GetEnvironmentVariable("OA_TRACE_SNAPSHOT") == "1";

    private static long Execute(Target on, string sql)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = DuckDbSchema.Execute(on.Connection, on.Sql(sql));
        if (Trace)
        {
            Console.Error.WriteLine($"snapshot update: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:F1} ms  {sql.Trim().Split('\n')[0]}");
        }

        return rows;
    }

    private static long Scalar(Target on, string sql)
    {
        using var command = on.Connection.CreateCommand();
        command.CommandText = on.Sql(sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The connection an update runs on, and the suffix of the snapshot's tables it updates: empty, or
    /// a compaction's <see cref="DuckDbSnapshot.BesideSuffix"/> while it catches up before its swap.
    /// </summary>
    private readonly record struct Target(DuckDBConnection Connection, string Suffix)
    {
        public string Sql(string sql) => DuckDbSnapshot.Named(sql, Suffix);
    }

    /// <summary>The snapshot's bookkeeping (<c>snapshot_meta</c>).</summary>
    internal readonly record struct Meta(long LastSeq, int People, int Users, int NextPerson, long BaseRows, long DeltaRows, long Version, string Build)
    {
        public static Meta Read(DuckDBConnection connection, string suffix = "")
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT last_seq, people, users, next_person, base_rows, delta_rows, ver, build FROM snapshot_meta" + suffix;
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                throw new InvalidDataException("DuckDB store: the snapshot has no meta row.");
            }

            return new Meta(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetString(7));
        }
    }
}
