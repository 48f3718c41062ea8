using System.Globalization;
using Npgsql;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// The store's resolved snapshot, computed by PostgreSQL in SQL and kept in unlogged tables of the
/// store's schema (a cache: a server crash empties them and the next read rebuilds them) until an
/// import changes the events. It is the DuckDB snapshot (<c>DuckDbSnapshot</c>) in PostgreSQL's
/// dialect, with the same numbering, so journeys and credits are bit-for-bit those of the raw rows:
/// <list type="bullet">
/// <item><c>snapshot_sources</c>: each distinct normalised traffic source (the event's channel, GA4 source /
/// medium / campaign / content / term and the raw referrer: what channel rules read), numbered by first
/// appearance (<see cref="PostgreSqlSourceNormaliser"/>); a report classifies only these with its rules;</item>
/// <item><c>snapshot_conversions</c>: each conversion name, numbered by first appearance;</item>
/// <item><c>snapshot_chunks</c>: the events in the order of person, time and input order, in chunks of
/// <see cref="ChunkRows"/>: per chunk its number, its count and four columns as big-endian arrays
/// (<c>bytea</c>, stored uncompressed): person (int), time (ticks), <c>tag</c> (int: a touch's source id,
/// <c>-2 - id</c> of a conversion's name, <c>-1</c> for an identify) and value (double). Binary COPY
/// then sends a few hundred rows of bytes instead of 10M rows of five fields: 0.3 s instead of 3.1 s
/// for 10M events;</item>
/// <item><c>snapshot_meta</c>: the layout version, the events' count and last <c>seq</c> it was built
/// from, and the number of people.</item>
/// </list>
/// The distinct raw sources are grouped in SQL, normalised in .NET, and each touch finds its
/// normalised id through a 64-bit <c>hash_record_extended</c> of its raw fields (PostgreSQL 14 or
/// later); the build checks that the raw sources' hashes are distinct, so the join is exact.
/// <para>
/// Concurrency: a build runs in one transaction under an advisory lock (one builder per schema) and
/// reads only events with <c>seq</c> up to the maximum it saw first. Imports commit whole files under
/// a lock and number them after every committed seq, so that set of events is fixed even while
/// another import commits; such a commit changes the count and last seq, and the next read rebuilds.
/// The tables are replaced by <c>TRUNCATE</c>, whose exclusive lock a reader waits for (it locks the
/// tables before its first query, <see cref="PostgreSqlResolvedReader"/>), so a reader sees the old
/// snapshot or the new one, never a mix or half of one. Imports and raw reads are never blocked. A
/// server's compaction builds beside the tables without the lock and swaps them in by renames
/// (<see cref="BuildBeside"/>, <see cref="SwapIn"/>; docs/snapshot.md).
/// </para>
/// </summary>
internal static class PostgreSqlSnapshot
{
    /// <summary>Bumped whenever the layout or the numbering of the snapshot changes.</summary>
    public const int Version = 5;

    /// <summary>Events per row of <c>snapshot_chunks</c>.</summary>
    public const int ChunkRows = 65536;

    /// <summary>Second key of the advisory lock that serialises builds of one schema's snapshot.</summary>
    private const int LockClass = 0x6f62;

    private const string RawFields = "channel, source, medium, campaign, content, term, referrer, url";

    /// <summary>Marks the step of <see cref="Build"/> that runs in .NET (<see cref="PostgreSqlSourceNormaliser"/>).</summary>
    private const string Normalise = "-- normalise the distinct raw sources";

    /// <summary>True when the snapshot exists and matches the events.</summary>
    public static bool IsCurrent(NpgsqlConnection connection, PostgreSqlSchema schema) =>
        TablesExist(connection, schema) && IsCurrent(connection, null, schema);

    /// <summary>Builds the snapshot when it is missing or older than the events.</summary>
    /// <param name="compacting">A compaction runs in the background: the delta may outgrow the blocking threshold until its swap.</param>
    public static Snapshot.SnapshotRefresh Ensure(NpgsqlConnection connection, PostgreSqlSchema schema, bool compacting = false)
    {
        if (TablesExist(connection, schema) && IsCurrent(connection, null, schema))
        {
            return Snapshot.SnapshotRefresh.Current;
        }

        using var transaction = connection.BeginTransaction();
        PostgreSqlSchema.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@c, hashtext(@s))", ("c", LockClass), ("s", schema.Name));
        if (TablesExist(connection, schema) && IsCurrent(connection, transaction, schema))
        {
            transaction.Commit(); // another reader built it while this one waited
            return Snapshot.SnapshotRefresh.Current;
        }

        // The events stored since, applied to a snapshot of this layout (no DDL: that would wait for
        // every open read); else a full build.
        if (TablesExist(connection, schema) && IsLayout(connection, transaction, schema) &&
            PostgreSqlSnapshotUpdate.TryApply(connection, transaction, schema, compacting))
        {
            transaction.Commit();
            return Snapshot.SnapshotRefresh.Incremental;
        }

        RunBuild(connection, transaction, schema);
        transaction.Commit();
        return Snapshot.SnapshotRefresh.Full;
    }

    /// <summary>Rebuilds the whole snapshot now, under the builder lock, as <see cref="Ensure"/> does when it must.</summary>
    public static void BuildFully(NpgsqlConnection connection, PostgreSqlSchema schema)
    {
        using var transaction = connection.BeginTransaction();
        PostgreSqlSchema.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@c, hashtext(@s))", ("c", LockClass), ("s", schema.Name));
        RunBuild(connection, transaction, schema);
        transaction.Commit();
    }

    private static IEnumerable<string> Build(PostgreSqlSchema s)
    {
        yield return """
            SET LOCAL work_mem = '256MB';
            """;
        yield return $"""
            CREATE TEMP TABLE oa_raw_sources ON COMMIT DROP AS
            SELECT {RawFields}, min(seq) AS first_seq
            FROM {s.Events} WHERE type = 'touch' AND seq <= @m
            GROUP BY {RawFields}
            """;

        yield return $"""
            TRUNCATE {s.SnapshotSources}, {s.SnapshotConversions}, {s.SnapshotChunks}, {s.SnapshotMeta}, {s.SnapshotSourceMap},
                     {s.SnapshotPeople}, {s.SnapshotLinks}, {s.SnapshotRows}, {s.SnapshotDelta}, {s.SnapshotDead}, {s.SnapshotChanges};
            INSERT INTO {s.SnapshotConversions} (id, conversion)
            SELECT (row_number() OVER (ORDER BY first_seq) - 1)::int, conversion
            FROM (SELECT conversion, min(seq) AS first_seq FROM {s.Events}
                  WHERE type = 'conversion' AND seq <= @m GROUP BY conversion) c;
            """;
        yield return Normalise;

        // People as the in-memory resolver numbers them: users by first appearance, then anonymous
        // ids by first appearance; an anonymous id linked to a user (by its earliest event with both
        // ids, by time then input order) is that user's person.
        yield return $"""
            CREATE TEMP TABLE oa_people ON COMMIT DROP AS
            SELECT user_group, key, first_seq, row_number() OVER (ORDER BY user_group DESC, first_seq) - 1 AS person
            FROM (SELECT true AS user_group, user_id AS key, min(seq) AS first_seq
                  FROM {s.Events} WHERE user_id IS NOT NULL AND seq <= @m GROUP BY user_id
                  UNION ALL
                  SELECT false, anonymous_id, min(seq)
                  FROM {s.Events} WHERE anonymous_id IS NOT NULL AND seq <= @m GROUP BY anonymous_id) k
            """;
        yield return $"""
            INSERT INTO {s.SnapshotPeople} (person_key, person, grp, first_seq)
            SELECT CASE WHEN user_group THEN 'u' ELSE 'a' END || key, person::int, CASE WHEN user_group THEN 0 ELSE 1 END, first_seq
            FROM oa_people;
            CREATE TEMP TABLE oa_user_person ON COMMIT DROP AS
            SELECT key AS user_id, person FROM oa_people WHERE user_group;
            ANALYZE oa_user_person;
            CREATE TEMP TABLE oa_links ON COMMIT DROP AS
            SELECT DISTINCT ON (anonymous_id) anonymous_id, user_id, ts_ticks AS ts, seq FROM {s.Events}
            WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL AND seq <= @m
            ORDER BY anonymous_id, ts_ticks, seq;
            CREATE TEMP TABLE oa_anonymous_person ON COMMIT DROP AS
            SELECT a.key AS anonymous_id, coalesce(u.person, a.person) AS person, a.person AS own
            FROM oa_people a
            LEFT JOIN oa_links l ON l.anonymous_id = a.key
            LEFT JOIN oa_user_person u ON u.user_id = l.user_id
            WHERE NOT a.user_group;
            INSERT INTO {s.SnapshotLinks} (anon, "user", ts, seq)
            SELECT a.own, u.person, l.ts, l.seq
            FROM oa_links l JOIN oa_anonymous_person a ON a.anonymous_id = l.anonymous_id JOIN oa_user_person u ON u.user_id = l.user_id;
            ANALYZE oa_anonymous_person;
            """;
        yield return $"""
            CREATE TEMP TABLE oa_events ON COMMIT DROP AS
            SELECT (row_number() OVER (ORDER BY person, ts, seq) - 1)::int AS i, person, ts, tag, value, seq, anon
            FROM (SELECT (CASE WHEN e.user_id IS NOT NULL THEN u.person ELSE a.person END)::int AS person,
                         e.ts_ticks AS ts, e.seq, (CASE WHEN e.user_id IS NULL THEN a.own ELSE -1 END)::int AS anon,
                         CASE e.type WHEN 'touch' THEN m.id WHEN 'conversion' THEN -2 - c.id ELSE -1 END AS tag,
                         CASE WHEN e.type = 'conversion' THEN e.value ELSE 0 END AS value
                  FROM {s.Events} e
                  LEFT JOIN oa_user_person u ON u.user_id = e.user_id
                  LEFT JOIN oa_anonymous_person a ON e.user_id IS NULL AND a.anonymous_id = e.anonymous_id
                  LEFT JOIN {s.SnapshotSourceMap} m ON e.type = 'touch' AND m.h = hash_record_extended(ROW({Prefixed("e.", RawFields)}), 0)
                  LEFT JOIN {s.SnapshotConversions} c ON e.type = 'conversion' AND c.conversion = e.conversion
                  WHERE e.seq <= @m) x
            """;
        yield return $"""
            INSERT INTO {s.SnapshotChunks} (chunk, n, person, ts, tag, value)
            SELECT i / {ChunkRows}, count(*)::int,
                   string_agg(int4send(person), ''::bytea ORDER BY i), string_agg(int8send(ts), ''::bytea ORDER BY i),
                   string_agg(int4send(tag), ''::bytea ORDER BY i), string_agg(float8send(value), ''::bytea ORDER BY i)
            FROM oa_events GROUP BY i / {ChunkRows}
            """;
        yield return $"""
            INSERT INTO {s.SnapshotRows} (person, ts, seq, tag, value, anon)
            SELECT person, ts, seq, tag, value, anon FROM oa_events ORDER BY i;
            ANALYZE {s.SnapshotRows};
            ANALYZE {s.SnapshotPeople};
            ANALYZE {s.SnapshotLinks};
            """;
        yield return $"""
            INSERT INTO {s.SnapshotMeta} (version, events, last_seq, people, touch_min, touch_max, users, next_person, base_rows, touches, build)
            SELECT {Version}, e.events, @m, p.people, e.touch_min, e.touch_max, p.users, p.people, e.events, e.touches, gen_random_uuid()::text
            FROM (SELECT count(*) AS events,
                         coalesce(min(ts) FILTER (WHERE tag >= 0), 0) AS touch_min,
                         coalesce(max(ts) FILTER (WHERE tag >= 0), 0) AS touch_max,
                         count(*) FILTER (WHERE tag >= 0) AS touches
                  FROM oa_events) e,
                 (SELECT count(*)::int AS people, (count(*) FILTER (WHERE user_group))::int AS users FROM oa_people) p
            """;
    }

    /// <summary>The snapshot's tables and their indexes (a compaction renames each), without schema or suffix.</summary>
    private static readonly string[] Tables =
    [
        "snapshot_meta", "snapshot_sources", "snapshot_conversions", "snapshot_chunks", "snapshot_source_map", "snapshot_people",
        "snapshot_links", "snapshot_rows", "snapshot_delta", "snapshot_dead", "snapshot_changes",
    ];

    private static readonly string[] Indexes =
    [
        "snapshot_source_map_h", "snapshot_people_key", "snapshot_people_person", "snapshot_links_anon", "snapshot_rows_person",
        "snapshot_delta_person", "snapshot_delta_gone", "snapshot_changes_ver", "snapshot_dead_person",
    ];

    /// <summary>Second key of the advisory lock held by a compaction's build (one per schema, across processes).</summary>
    private const int CompactionLockClass = 0x6f63;

    /// <summary>
    /// A compaction's first half, without the builder lock while updates go on: a whole snapshot of the
    /// events up to the largest seq its transaction sees first (the set a build reads, fixed even while
    /// imports commit), built into the tables of <see cref="PostgreSqlSchema.Beside"/> and committed,
    /// then brought up to date by updates of those tables (each in its own transaction, still without
    /// the lock) until fewer than <see cref="CatchUpEvents"/> events are left for the swap. The caller
    /// holds <see cref="TryLockCompaction"/>. Returns the build it is to replace (read in a transaction of
    /// its own, so that the build holds no lock on the live tables), or null when there is none.
    /// </summary>
    public static string? BuildBeside(NpgsqlConnection connection, PostgreSqlSchema schema, CancellationToken cancellationToken)
    {
        string replaced;
        using (var read = connection.BeginTransaction())
        {
            if (!TablesExist(connection, schema) || !IsLayout(connection, read, schema))
            {
                return null;
            }

            using var build = new NpgsqlCommand($"SELECT build FROM {schema.SnapshotMeta}", connection, read);
            replaced = (string)build.ExecuteScalar()!;
            read.Commit();
        }

        var beside = schema.Beside();
        using (var transaction = connection.BeginTransaction())
        {
            RunBuild(connection, transaction, beside, cancellationToken);
            transaction.Commit();
        }

        for (var round = 0; round < 10 && Behind(connection, beside) >= CatchUpEvents; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = connection.BeginTransaction();
            if (!PostgreSqlSnapshotUpdate.TryApply(connection, transaction, beside))
            {
                return null; // too much arrived during the build: the next compaction starts afresh
            }

            transaction.Commit();
        }

        return replaced;
    }

    /// <summary>Events a swap may still apply under the lock: more are applied beside before it.</summary>
    private const long CatchUpEvents = 5_000;

    private static long Behind(NpgsqlConnection connection, PostgreSqlSchema s)
    {
        using var command = new NpgsqlCommand(
            $"SELECT count(*) FROM {s.Events} WHERE seq > (SELECT last_seq FROM {s.SnapshotMeta})", connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// The session lock one compaction of a schema holds from its build to its swap (across processes):
    /// true when taken (give it back with <see cref="UnlockCompaction"/>), false when another runs.
    /// </summary>
    public static bool TryLockCompaction(NpgsqlConnection connection, PostgreSqlSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@c, hashtext(@s))", connection);
        command.Parameters.AddWithValue("c", CompactionLockClass);
        command.Parameters.AddWithValue("s", schema.Name);
        return (bool)command.ExecuteScalar()!;
    }

    public static void UnlockCompaction(NpgsqlConnection connection, PostgreSqlSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@c, hashtext(@s))", connection);
        command.Parameters.AddWithValue("c", CompactionLockClass);
        command.Parameters.AddWithValue("s", schema.Name);
        command.ExecuteNonQuery();
    }

    /// <summary>How long a swap waits for the readers' tables before it gives way and tries again.</summary>
    private const string SwapLockTimeout = "500ms";

    /// <summary>
    /// A compaction's second half, under the builder lock (updates wait for it): the tables built beside
    /// are brought up to the last committed event and replace the current ones, indexes renamed with
    /// them, in one transaction, unless a full build replaced <paramref name="replaced"/> meanwhile (then
    /// they are dropped and <see cref="SwapOutcome.Overtaken"/> returned). The readers' four tables are
    /// locked first, in the readers' order, and for at most <see cref="SwapLockTimeout"/>: a report that
    /// began before ends first, or the swap gives way (<see cref="SwapOutcome.Busy"/>: the caller tries
    /// again) rather than keep every new report waiting behind a long one. A report whose
    /// <see cref="Ensure"/> ran before the swap and that waited for it reads the new tables, which hold
    /// every event that Ensure saw (read your writes).
    /// </summary>
    public static SwapOutcome SwapIn(NpgsqlConnection connection, PostgreSqlSchema schema, string replaced)
    {
        using var transaction = connection.BeginTransaction();
        PostgreSqlSchema.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@c, hashtext(@s))", ("c", LockClass), ("s", schema.Name));
        try
        {
            PostgreSqlSchema.Execute(connection, transaction, $"""
                SET LOCAL lock_timeout = '{SwapLockTimeout}';
                LOCK TABLE {schema.SnapshotMeta}, {schema.SnapshotSources}, {schema.SnapshotConversions}, {schema.SnapshotChunks} IN ACCESS EXCLUSIVE MODE;
                SET LOCAL lock_timeout = 0;
                """);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return SwapOutcome.Busy; // rolled back: nothing changed, the tables beside are kept
        }

        bool current;
        using (var build = new NpgsqlCommand($"SELECT count(*) FROM {schema.SnapshotMeta} WHERE version = {Version} AND build = @b", connection, transaction))
        {
            build.Parameters.AddWithValue("b", replaced);
            current = (long)build.ExecuteScalar()! == 1;
        }

        var beside = schema.Beside();
        if (current && Behind(connection, beside) > 0 && !PostgreSqlSnapshotUpdate.TryApply(connection, transaction, beside))
        {
            current = false; // too much arrived since the catch-up: drop this compaction
        }

        foreach (var table in Tables)
        {
            var next = schema.Qualified(table + beside.Suffix);
            PostgreSqlSchema.Execute(connection, transaction, current
                ? $"DROP TABLE {schema.Qualified(table)}; ALTER TABLE {next} RENAME TO {PostgreSqlSchema.Quote(table)}"
                : $"DROP TABLE IF EXISTS {next}");
        }

        if (current)
        {
            foreach (var index in Indexes)
            {
                PostgreSqlSchema.Execute(connection, transaction, $"ALTER INDEX {schema.Qualified(index + beside.Suffix)} RENAME TO {PostgreSqlSchema.Quote(index)}");
            }
        }

        transaction.Commit();
        return current ? SwapOutcome.Swapped : SwapOutcome.Overtaken;
    }

    /// <summary>How a compaction's swap ended.</summary>
    public enum SwapOutcome
    {
        Swapped,
        Overtaken,
        Busy,
    }

    /// <summary>A whole build into <paramref name="schema"/>'s snapshot tables (created when missing), of the events up to the largest seq it sees first.</summary>
    private static void RunBuild(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema, CancellationToken cancellationToken = default)
    {
        CreateTables(connection, transaction, schema);
        long last;
        using (var max = new NpgsqlCommand($"SELECT coalesce(max(seq), 0) FROM {schema.Events}", connection, transaction))
        {
            last = (long)max.ExecuteScalar()!;
        }

        foreach (var sql in Build(schema))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ReferenceEquals(sql, Normalise))
            {
                PostgreSqlSourceNormaliser.Run(connection, transaction, schema);
            }
            else
            {
                PostgreSqlSchema.Execute(connection, transaction, sql, ("m", last));
            }
        }
    }

    private static string Prefixed(string prefix, string fields) =>
        string.Join(", ", fields.Split(", ").Select(f => prefix + f));

    private static void CreateTables(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema s) =>
        PostgreSqlSchema.Execute(connection, transaction, $"""
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotMeta} (
                version int NOT NULL, events bigint NOT NULL, last_seq bigint NOT NULL, people int NOT NULL);
            ALTER TABLE {s.SnapshotMeta} ADD COLUMN IF NOT EXISTS touch_min bigint NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS touch_max bigint NOT NULL DEFAULT 0;
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotSources} (
                id int NOT NULL, channel text, source text, medium text, campaign text, content text, term text,
                referrer text);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotConversions} (id int NOT NULL, conversion text);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotChunks} (
                chunk int NOT NULL, n int NOT NULL, person bytea NOT NULL, ts bytea NOT NULL, tag bytea NOT NULL, value bytea NOT NULL);
            ALTER TABLE {s.SnapshotChunks} ALTER person SET STORAGE EXTERNAL, ALTER ts SET STORAGE EXTERNAL,
                ALTER tag SET STORAGE EXTERNAL, ALTER value SET STORAGE EXTERNAL;
            ALTER TABLE {s.SnapshotMeta} ADD COLUMN IF NOT EXISTS users int NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS next_person int NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS base_rows bigint NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS delta_rows bigint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS touches bigint NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS build text NOT NULL DEFAULT '';
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotSourceMap} (h bigint NOT NULL, id int NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_source_map_h{s.Suffix} ON {s.SnapshotSourceMap} (h);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotPeople} (person_key text COLLATE "C" NOT NULL, person int NOT NULL, grp int NOT NULL, first_seq bigint NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_people_key{s.Suffix} ON {s.SnapshotPeople} (person_key);
            CREATE INDEX IF NOT EXISTS snapshot_people_person{s.Suffix} ON {s.SnapshotPeople} (person);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotLinks} (anon int NOT NULL, "user" int NOT NULL, ts bigint NOT NULL, seq bigint NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_links_anon{s.Suffix} ON {s.SnapshotLinks} (anon);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotRows} (
                person int NOT NULL, ts bigint NOT NULL, seq bigint NOT NULL, tag int NOT NULL, value double precision NOT NULL, anon int NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_rows_person{s.Suffix} ON {s.SnapshotRows} (person);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotDelta} (
                person int NOT NULL, ins int NOT NULL, grp int NOT NULL, first_seq bigint NOT NULL,
                ts bigint NOT NULL, seq bigint NOT NULL, tag int NOT NULL, value double precision NOT NULL, anon int NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_delta_person{s.Suffix} ON {s.SnapshotDelta} (person);
            ALTER TABLE {s.SnapshotDelta} ADD COLUMN IF NOT EXISTS ver bigint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS gone bigint;
            ALTER TABLE {s.SnapshotMeta} ADD COLUMN IF NOT EXISTS ver bigint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS purged bigint NOT NULL DEFAULT 0;
            CREATE INDEX IF NOT EXISTS snapshot_delta_gone{s.Suffix} ON {s.SnapshotDelta} (gone) WHERE gone IS NOT NULL;
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotChanges} (ver bigint NOT NULL, person int NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_changes_ver{s.Suffix} ON {s.SnapshotChanges} (ver);
            CREATE UNLOGGED TABLE IF NOT EXISTS {s.SnapshotDead} (person int NOT NULL);
            CREATE INDEX IF NOT EXISTS snapshot_dead_person{s.Suffix} ON {s.SnapshotDead} (person);
            ALTER TABLE {s.SnapshotDead} ADD COLUMN IF NOT EXISTS ver bigint NOT NULL DEFAULT 0;
            """);

    private static bool IsLayout(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema s)
    {
        using var command = new NpgsqlCommand($"SELECT count(*) FROM {s.SnapshotMeta} WHERE version = {Version}", connection, transaction);
        return (long)command.ExecuteScalar()! == 1;
    }

    private static bool TablesExist(NpgsqlConnection connection, PostgreSqlSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL AND to_regclass(@e) IS NOT NULL", connection);
        command.Parameters.AddWithValue("t", schema.SnapshotMeta);
        command.Parameters.AddWithValue("e", schema.SnapshotChunks);
        return (bool)command.ExecuteScalar()!;
    }

    /// <summary>
    /// The snapshot matches the events: same layout and last seq. Events are only ever appended, each
    /// commit numbering its rows after the largest stored seq under the import lock, so any change moves
    /// the largest seq (an index lookup), and counting every event (0.4 s on 10M) adds nothing.
    /// </summary>
    private static bool IsCurrent(NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgreSqlSchema s)
    {
        using var command = new NpgsqlCommand($"""
            SELECT count(*) FROM {s.SnapshotMeta} m
            WHERE m.version = {Version}
              AND m.last_seq = (SELECT coalesce(max(seq), 0) FROM {s.Events})
            """, connection, transaction);
        return (long)command.ExecuteScalar()! == 1;
    }
}
