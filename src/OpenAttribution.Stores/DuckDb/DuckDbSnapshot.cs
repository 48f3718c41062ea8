using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using OpenAttribution.Core.Channels;
using OpenAttribution.Stores.Snapshot;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The store's resolved snapshot: identity stitching, dense person ids and normalised traffic
/// sources, kept in the file beside <c>events</c> and brought up to date after every import (the
/// snapshot records the event count and the last <c>seq</c> it covers).
/// <list type="bullet">
/// <item><c>snapshot_sources</c>: each distinct normalised traffic source (the event's channel, GA4
/// source / medium / campaign / content / term after <see cref="TrafficSourceResolver"/>, and the raw
/// referrer): what channel rules read. Normalising does not depend on the rules, so the snapshot
/// keeps it; a report classifies only these few rows with its own rules. <c>snapshot_source_map</c>
/// maps each raw combination's hash to its normalised id;</item>
/// <item><c>snapshot_conversions</c>: each conversion name;</item>
/// <item><c>snapshot_people</c>: every person key (<c>u</c> + user id, <c>a</c> + anonymous id) with its
/// number, group (0 users, 1 anonymous ids), first <c>seq</c> and 128-bit hash (an update finds a few keys
/// among millions through an index on the hashes). The base's keys are never changed after the build, so a
/// checkpoint never rewrites their index (rewriting it cost 0.2-4 s per checkpoint at 10M events);
/// keys that appear later go to <c>snapshot_people_new</c>, small until the next full build;
/// <c>snapshot_links</c>: per anonymous
/// id's number, the number of the user its earliest link names, with that link's time and seq;</item>
/// <item><c>snapshot_events</c> (the base): per event its person, time, type, source id, conversion id,
/// value, seq and <c>anon</c> (its anonymous id's number when it has no user id, else -1: the rows
/// that move when a link changes), ordered by person, time and input order, so journeys need no
/// sorting;</item>
/// <item><c>snapshot_delta</c> and <c>snapshot_dead</c>: the people re-resolved since the base was
/// built (<see cref="DuckDbSnapshotUpdate"/>, merged on read by <see cref="Snapshot.SnapshotMerge"/>).
/// Each update is a version (<c>snapshot_meta.ver</c>): it writes every row of each person it
/// re-resolves again, with its version in <c>ver</c>, and lists those people in <c>snapshot_changes</c>;
/// <c>snapshot_current</c> names each delta person's current version. Nothing is updated in place (an
/// update chain on the delta made every later scan of it slower), and the rows of earlier versions stay,
/// so a report kept at an earlier version can take back exactly what it added, for
/// <see cref="Snapshot.SnapshotParts.KeptVersions"/> updates (<c>purged</c>: a report kept at an older
/// version folds afresh).</item>
/// </list>
/// Identity follows spec section 2 exactly as <see cref="Core.Identity.IdentityResolver"/> does: the
/// earliest event with both ids (by time, then input order) links an anonymous id to its user. People
/// are ordered as the in-memory resolver numbers them (users by first appearance, then anonymous ids
/// by first appearance), and traffic sources and conversion names are numbered in order of first
/// appearance, so names are interned in the same order, journeys come in the same order and every sum
/// (and every Markov state number) is bit-for-bit the same as from the files, after a full build or
/// after any number of incremental updates.
/// </summary>
internal static class DuckDbSnapshot
{
    /// <summary>Bumped whenever the snapshot's layout or the normalisation of traffic sources changes.</summary>
    public const string Version = "9";

    /// <summary>
    /// A touch's raw source fields as one 64-bit hash (the whole URL: reducing it to host and query in
    /// SQL cost more than it saved, since ad click ids keep most URLs distinct anyway):
    /// joining on it is one integer comparison instead of eight nullable strings. The build checks that
    /// the distinct combinations' hashes are distinct.
    /// </summary>
    public const string SourceHash = $"hash(channel, source, medium, campaign, content, term, referrer, url)";

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

    private const string People = """
        CREATE OR REPLACE TABLE snapshot_people AS
        SELECT person_key, CAST(row_number() OVER (ORDER BY grp, first_seq) - 1 AS INTEGER) AS person, grp, first_seq, md5_number(person_key) AS h
        FROM (SELECT 'u' || user_id AS person_key, CAST(0 AS UTINYINT) AS grp, min(seq) AS first_seq
              FROM events WHERE user_id IS NOT NULL GROUP BY user_id
              UNION ALL
              SELECT 'a' || anonymous_id, CAST(1 AS UTINYINT), min(seq)
              FROM events WHERE anonymous_id IS NOT NULL GROUP BY anonymous_id)
        """;

    private const string Links = """
        CREATE OR REPLACE TABLE snapshot_links AS
        SELECT pa.person AS anon, pu.person AS "user", l.ts, l.seq
        FROM (SELECT anonymous_id, arg_min(user_id, (timestamp_ticks, seq)) AS user_id,
                     arg_min(timestamp_ticks, (timestamp_ticks, seq)) AS ts,
                     arg_min(seq, (timestamp_ticks, seq)) AS seq
              FROM events WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY anonymous_id) l
        JOIN snapshot_people pa ON pa.person_key = 'a' || l.anonymous_id
        JOIN snapshot_people pu ON pu.person_key = 'u' || l.user_id
        """;

    private const string Events = """
        CREATE OR REPLACE TABLE snapshot_events AS
        WITH keyed AS (
            SELECT e.seq, e.timestamp_ticks, e.type, e.value, e.conversion,
                   CASE WHEN e.type = 'touch' THEN SOURCE_HASH END AS h,
                   CASE WHEN e.user_id IS NOT NULL THEN p.person END AS user_person,
                   CASE WHEN e.user_id IS NULL THEN p.person END AS anon_person
            FROM events e
            JOIN snapshot_people p
              ON p.person_key = CASE WHEN e.user_id IS NOT NULL THEN 'u' || e.user_id ELSE 'a' || e.anonymous_id END)
        SELECT coalesce(k.user_person, l."user", k.anon_person) AS person,
               k.timestamp_ticks AS ts,
               CAST(CASE k.type WHEN 'touch' THEN 0 WHEN 'conversion' THEN 1 ELSE 2 END AS UTINYINT) AS kind,
               coalesce(s.id, -1) AS src,
               coalesce(c.id, -1) AS conv,
               k.value,
               k.seq,
               coalesce(k.anon_person, -1) AS anon
        FROM keyed k
        LEFT JOIN snapshot_links l ON l.anon = CASE WHEN k.user_person IS NULL THEN k.anon_person END
        LEFT JOIN snapshot_source_map s ON s.h = k.h
        LEFT JOIN snapshot_conversions c ON c.conversion = CASE WHEN k.type = 'conversion' THEN k.conversion END
        ORDER BY person, k.timestamp_ticks, k.seq
        """;

    /// <summary>The incremental part, empty after a full build.</summary>
    private const string Delta = """
        CREATE OR REPLACE TABLE snapshot_delta (
            person INTEGER NOT NULL, ins INTEGER NOT NULL, grp UTINYINT NOT NULL, first_seq BIGINT NOT NULL,
            ts BIGINT NOT NULL, kind UTINYINT NOT NULL, src INTEGER NOT NULL, conv INTEGER NOT NULL,
            value DOUBLE NOT NULL, seq BIGINT NOT NULL, anon INTEGER NOT NULL, ver BIGINT NOT NULL);
        CREATE OR REPLACE TABLE snapshot_dead (person INTEGER NOT NULL, ver BIGINT NOT NULL);
        CREATE OR REPLACE TABLE snapshot_changes (ver BIGINT NOT NULL, person INTEGER NOT NULL);
        CREATE OR REPLACE TABLE snapshot_current (person INTEGER NOT NULL, ver BIGINT NOT NULL);
        CREATE OR REPLACE TABLE snapshot_people_new AS SELECT * FROM snapshot_people LIMIT 0;
        """;

    /// <summary>
    /// The indexes an incremental update looks people up by (<see cref="DuckDbSnapshotUpdate"/>): a
    /// batch names a few hundred people among millions, and without them every lookup scans a whole
    /// column (20-60 ms each at 10M events, whatever the batch). DuckDB uses an index for a filter
    /// against a list of constants, which is how the update writes its lookups.
    /// <para>
    /// Not the base's people by key hash (<c>snapshot_people.h</c>): DuckDB writes every index that a
    /// lookup has loaded back at each checkpoint, changed or not (duckdb/duckdb#24848), and that one
    /// (3.2M 128-bit keys at 10M events) took ~2.8 s of a 3.2 s checkpoint, a stall of whichever report
    /// or batch commits when the log is full. Without it the update scans the hash column (+~30 ms
    /// p50 at 10M) and the checkpoint after 40 batches takes 0.4 s, not 3.2 s (BENCHMARKS.md).
    /// </para>
    /// <para>
    /// A compaction in the background (<see cref="BuildBeside"/>) builds no index on the base: DuckDB
    /// commits a new index on 10M rows in 3-7 s under its commit lock, and every commit of the store
    /// (the server's ingestion included) would wait that long. Its updates then find the affected
    /// people's base rows by the base's zone maps (it is ordered by person): ~35-45 ms at 10M events
    /// for a few hundred people against ~7 ms by the index, until the next full build.
    /// </para>
    /// </summary>
    private const string BaseIndex = "CREATE INDEX snapshot_events_person ON snapshot_events (person)";

    /// <summary>The indexes on the small tables (<see cref="BaseIndex"/>'s note says why).</summary>
    private const string SmallIndexes = """
        CREATE INDEX snapshot_links_anon ON snapshot_links (anon);
        CREATE INDEX snapshot_delta_person ON snapshot_delta (person);
        CREATE INDEX snapshot_current_person ON snapshot_current (person);
        """;

    /// <summary>
    /// <c>people</c> and <c>users</c>: the base's person numbers and how many of them are users (the
    /// first anonymous person's number); <c>next_person</c>: the number the next new key gets.
    /// </summary>
    private const string Meta = $"""
        CREATE OR REPLACE TABLE snapshot_meta AS
        SELECT {Version} AS version, (SELECT count(*) FROM events) AS events, (SELECT coalesce(max(seq), 0) FROM events) AS last_seq,
               CAST((SELECT count(*) FROM snapshot_people) AS INTEGER) AS people,
               CAST((SELECT count(*) FROM snapshot_people WHERE grp = 0) AS INTEGER) AS users,
               CAST((SELECT count(*) FROM snapshot_people) AS INTEGER) AS next_person,
               (SELECT coalesce(min(ts), 0) FROM snapshot_events WHERE kind = 0) AS touch_min,
               (SELECT coalesce(max(ts), 0) FROM snapshot_events WHERE kind = 0) AS touch_max,
               (SELECT count(*) FROM snapshot_events WHERE kind = 0) AS touches,
               CAST(0 AS BIGINT) AS delta_rows, CAST(0 AS BIGINT) AS base_rows, CAST(0 AS BIGINT) AS ver, CAST(0 AS BIGINT) AS purged,
               CAST(gen_random_uuid() AS VARCHAR) AS build
        """;

    /// <summary>
    /// Brings the snapshot up to date: nothing when it is current; the events stored since, applied
    /// incrementally (<see cref="DuckDbSnapshotUpdate"/>) when that is the smaller work; else a full
    /// build. Either runs in one transaction, so a reader never sees half a snapshot, and the snapshot
    /// always matches the events it saw. Returns how it was brought up to date.
    /// </summary>
    /// <param name="compacting">
    /// A compaction is running in the background: the delta may outgrow the blocking threshold until it
    /// is swapped in (a blocking build now would do its work twice, on the same two cores).
    /// </param>
    public static SnapshotRefresh Ensure(DuckDBConnection connection, Func<DuckDBConnection, string, DuckDbBasePeople?>? basePeople = null, bool compacting = false)
    {
        var state = State(connection);
        if (state == SnapshotRefresh.Current)
        {
            return state;
        }

        if (state == SnapshotRefresh.Incremental && DuckDbSnapshotUpdate.TryApply(connection, basePeople, compacting))
        {
            return SnapshotRefresh.Incremental;
        }

        Build(connection);
        return SnapshotRefresh.Full;
    }

    /// <summary>Builds the whole snapshot from the events.</summary>
    public static void Build(DuckDBConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var trace = Tracer("snapshot build");
        BuildTables(connection, "", trace);
        trace("indexes", () => DuckDbSchema.Execute(connection, BaseIndex + ";\n" + SmallIndexes));
        trace("commit", transaction.Commit);
    }

    /// <summary>What a build writes: every table of the snapshot (a compaction swaps each of them in).</summary>
    private static readonly string[] Tables =
    [
        "snapshot_sources", "snapshot_source_map", "snapshot_conversions", "snapshot_people", "snapshot_people_new",
        "snapshot_links", "snapshot_events", "snapshot_delta", "snapshot_dead", "snapshot_changes", "snapshot_current", "snapshot_meta",
    ];

    /// <summary>The snapshot's table names in a build's SQL (not its indexes' names, nor the temporary raw sources).</summary>
    private static readonly Regex TableName = new(
        @"\bsnapshot_(sources|source_map|conversions|people_new|people|links|events|delta|dead|changes|current|meta)\b", RegexOptions.CultureInvariant);

    /// <summary>What the tables of a compaction's build are named with, until they are swapped in.</summary>
    internal const string BesideSuffix = CompactionTrigger.BesideSuffix;

    /// <summary>The build's SQL for tables named with <paramref name="suffix"/>.</summary>
    internal static string Named(string sql, string suffix) =>
        suffix.Length == 0 ? sql : TableName.Replace(sql, match => match.Value + suffix);

    private static void BuildTables(DuckDBConnection connection, string suffix, Action<string, Action> step)
    {
        void Run(string sql) => DuckDbSchema.Execute(connection, Named(sql, suffix));
        step("raw sources", () => Run(RawSources));
        step("normalise", () => Normalise(connection, new SourceNormaliser("DuckDB store"), replace: true, suffix));
        step("conversions", () => Run(Conversions));
        step("people", () => Run(People));
        step("links", () => Run(Links));
        step("events", () => Run(Events.Replace("SOURCE_HASH", SourceHash, StringComparison.Ordinal)));
        step("meta", () =>
        {
            Run(Delta);
            Run(Meta);
            Run("UPDATE snapshot_meta SET base_rows = (SELECT count(*) FROM snapshot_events)");
            DuckDbSchema.Execute(connection, "DROP TABLE snapshot_raw_sources");
        });
    }

    /// <summary>
    /// A compaction's first half, run without the snapshot lock while updates go on: builds a whole
    /// snapshot of the events this transaction sees (every seq up to some S: commits number their rows
    /// after every stored seq) into tables beside the current ones, without the base's index (see
    /// <see cref="BaseIndex"/>), and commits it (a commit of new tables only: milliseconds, no wait
    /// for anyone); then catches up with the events stored meanwhile. Returns the build it is to
    /// replace, the one current when it began.
    /// </summary>
    public static string BuildBeside(DuckDBConnection connection, CancellationToken cancellationToken = default)
    {
        var trace = Tracer("snapshot compaction");
        string replaced;
        using (var transaction = connection.BeginTransaction())
        {
            replaced = DuckDbSnapshotUpdate.Meta.Read(connection).Build;
            BuildTables(connection, BesideSuffix, (name, run) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                trace(name, run);
            });
            transaction.Commit();
        }

        // The events stored during the build, applied beside as updates (still without the lock), so
        // that the swap has little left to apply under it.
        for (var round = 0; round < 10 && Behind(connection) >= CatchUpEvents; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            trace("catch up", () => CatchUp(connection));
        }

        return replaced;
    }

    /// <summary>Events a swap may still apply under the lock: more are applied beside before it.</summary>
    private const long CatchUpEvents = 5_000;

    private static long Behind(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Named("SELECT count(*) FROM events WHERE seq > (SELECT last_seq FROM snapshot_meta)", BesideSuffix);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the events after the tables beside to them; throws when there are too many (the compaction gives up).</summary>
    private static void CatchUp(DuckDBConnection connection)
    {
        if (!DuckDbSnapshotUpdate.TryApply(connection, basePeople: null, compacting: false, BesideSuffix))
        {
            throw new InvalidOperationException("DuckDB store: more events arrived during the compaction than an update takes; it starts afresh later.");
        }
    }

    /// <summary>
    /// A compaction's second half, under the snapshot lock: the tables built beside, brought up to the
    /// last committed event (the few events since the catch-up), replace the current ones in one short
    /// transaction (drops, renames and the small tables' indexes: 0.5 s at 10M events, its commit
    /// included), unless a full build replaced <paramref name="replaced"/>
    /// meanwhile (then the compaction's tables are dropped and false returned). Reports that began
    /// before read the old tables to their end (DuckDB keeps them for their transactions). Events
    /// committed after the last catch-up are applied by the next <see cref="Ensure"/> as an update, so
    /// the result is the full build's to the bit.
    /// </summary>
    public static bool SwapIn(DuckDBConnection connection, string replaced)
    {
        var trace = Tracer("snapshot compaction");
        var current = State(connection) != SnapshotRefresh.Full && DuckDbSnapshotUpdate.Meta.Read(connection).Build == replaced;
        if (current && Behind(connection) > 0)
        {
            trace("last catch up", () => CatchUp(connection));
        }

        using var transaction = connection.BeginTransaction();
        trace("swap", () =>
        {
            foreach (var table in Tables)
            {
                if (current)
                {
                    DuckDbSchema.Execute(connection, $"DROP TABLE {table}; ALTER TABLE {table}{BesideSuffix} RENAME TO {table}");
                }
                else
                {
                    DuckDbSchema.Execute(connection, $"DROP TABLE IF EXISTS {table}{BesideSuffix}");
                }
            }

            if (current)
            {
                DuckDbSchema.Execute(connection, SmallIndexes);
            }
        });
        trace("commit", transaction.Commit);
        return current;
    }

    /// <summary>Runs a build's steps, each timed on standard error when <c>OA_TRACE_SNAPSHOT=1</c>.</summary>
    private static Action<string, Action> Tracer(string what)
    {
        if (Environment.GetEnvironmentVariable("OA_TRACE_SNAPSHOT") != "1")
        {
            return static (_, run) => run();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        return (name, run) =>
        {
            run();
            Console.Error.WriteLine($"{what}: {name} {clock.Elapsed.TotalSeconds:F2} s");
            clock.Restart();
        };
    }

    /// <summary>
    /// Normalises each distinct raw source of <c>snapshot_raw_sources</c> once, in order of first
    /// appearance, into <c>snapshot_sources</c> (distinct normalised sources, ids in order of first
    /// appearance) and <c>snapshot_source_map</c> (raw hash to normalised id): replacing both tables
    /// (a full build), or appending what is new to them (<paramref name="normaliser"/> then knows the
    /// stored sources).
    /// </summary>
    internal static void Normalise(DuckDBConnection connection, SourceNormaliser normaliser, bool replace, string suffix = "")
    {
        var known = normaliser.Sources.Count;
        var mapped = normaliser.Map.Count;
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

        if (replace)
        {
            DuckDbSchema.Execute(connection, Named("""
                CREATE OR REPLACE TABLE snapshot_sources (
                    id INTEGER NOT NULL, channel VARCHAR, source VARCHAR, medium VARCHAR, campaign VARCHAR,
                    content VARCHAR, term VARCHAR, referrer VARCHAR);
                CREATE OR REPLACE TABLE snapshot_source_map (h UBIGINT NOT NULL, id INTEGER NOT NULL);
                """, suffix));
        }

        // Appenders do not follow the connection's search path: name the schema (the server keeps a
        // workspace per schema).
        var schema = CurrentSchema(connection);
        using (var appender = connection.CreateAppender(schema, "snapshot_sources" + suffix))
        {
            for (var i = known; i < normaliser.Sources.Count; i++)
            {
                var (channel, source, medium, campaign, content, term, referrer) = normaliser.Sources[i];
                appender.CreateRow().AppendValue(i).AppendValue(channel).AppendValue(source).AppendValue(medium)
                    .AppendValue(campaign).AppendValue(content).AppendValue(term).AppendValue(referrer).EndRow();
            }
        }

        using (var appender = connection.CreateAppender(schema, "snapshot_source_map" + suffix))
        {
            for (var i = mapped; i < normaliser.Map.Count; i++)
            {
                var (hash, id) = normaliser.Map[i];
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

    public static bool IsCurrent(DuckDBConnection connection) => State(connection) == SnapshotRefresh.Current;

    /// <summary>
    /// Current: the snapshot covers exactly the stored events. Incremental: it is of this layout and
    /// older (events are only appended, each commit numbering its rows after every stored seq, so the
    /// events after its last seq are what is new). Full: missing or of another layout.
    /// </summary>
    private static SnapshotRefresh State(DuckDBConnection connection)
    {
        if (!Exists(connection))
        {
            return SnapshotRefresh.Full;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT m.version = {Version} AS layout,
                   m.events = (SELECT count(*) FROM events) AND m.last_seq = (SELECT coalesce(max(seq), 0) FROM events) AS current
            FROM snapshot_meta m
            """;
        try
        {
            using var reader = command.ExecuteReader();
            if (!reader.Read() || !reader.GetBoolean(0))
            {
                return SnapshotRefresh.Full;
            }

            return reader.GetBoolean(1) ? SnapshotRefresh.Current : SnapshotRefresh.Incremental;
        }
        catch (DuckDBException)
        {
            return SnapshotRefresh.Full; // a snapshot_meta of another layout: rebuild
        }
    }

    private static bool Exists(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = 'snapshot_meta'";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }
}
