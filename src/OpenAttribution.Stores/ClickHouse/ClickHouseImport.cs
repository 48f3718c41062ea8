using System.Globalization;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// One file's import. Rows go in TSV batches to a staging table on shard 1; nothing is visible
/// until <see cref="Commit"/>, which
/// <list type="number">
/// <item>finds the file's event ids already stored (GLOBAL IN over the cluster) and keeps the first
/// row of ids repeated in the file;</item>
/// <item>decides each anonymous id's winning link (earliest by timestamp, then seq) from the stored
/// links and the file's;</item>
/// <item>routes the kept rows by their person (user id, else the linked user, else the anonymous id)
/// through a Distributed table into an incoming MergeTree table on every shard, together with the
/// stored anonymous events whose person changes (re-sharding);</item>
/// <item>publishes: on every shard one <c>ALTER TABLE events_local ATTACH PARTITION tuple() FROM</c>
/// the incoming table, then deletes the moved events' old copies (a mutation it waits for).</item>
/// </list>
/// Disposing without committing drops the staging tables. Imports into one store must not run at
/// the same time (ClickHouse has no transactions or locks to order them).
/// </summary>
internal sealed class ClickHouseImport : IStoreImport
{
    /// <summary>Characters buffered before a batch is sent.</summary>
    private const int BatchChars = 8 << 20;

    private static readonly Dictionary<string, string> DistributedSync = new() { ["insert_distributed_sync"] = "1" };

    private readonly ClickHouseCluster _cluster;
    private readonly string _stage;
    private readonly string _dup;
    private readonly string _kept;
    private readonly string _links;
    private readonly string _incoming;
    private readonly string _incomingAll;
    private readonly string _moves;
    private readonly TsvWriter _batch = new();
    private long _rows;
    private bool _done;

    public ClickHouseImport(ClickHouseCluster cluster)
    {
        _cluster = cluster;
        var id = StagingTables.NewId();
        _stage = "oa_stage_" + id;
        _dup = _stage + "_dup";
        _kept = _stage + "_kept";
        _links = _stage + "_links";
        _incoming = "oa_in_" + id;
        _incomingAll = _incoming + "_all";
        _moves = "oa_mv_" + id;
        StagingTables.DropAbandoned(cluster);
        cluster.Entry.Execute($"""
            CREATE TABLE {_stage} (ord UInt64, {ClickHouseSchema.FieldColumns})
            ENGINE = MergeTree PARTITION BY tuple() ORDER BY ord
            """);
    }

    public void Add(in EventRow row)
    {
        if (_done)
        {
            throw new InvalidOperationException("This import is already committed or disposed.");
        }

        _rows++;
        _batch.Field(_rows).Field(row.EventId).Field(row.TimestampTicks).Field(row.UserId).Field(row.AnonymousId)
            .Field(StoredEventType.Name(row.Type)).Field(row.Channel).Field(row.Source).Field(row.Medium)
            .Field(row.Campaign).Field(row.Content).Field(row.Term).Field(row.Referrer).Field(row.Url).Field(row.Conversion)
            .Field(row.Value);
        _batch.EndRow();
        if (_batch.Length >= BatchChars)
        {
            Flush();
        }
    }

    public ImportCounts Commit()
    {
        if (_done)
        {
            throw new InvalidOperationException("This import is already committed or disposed.");
        }

        Flush();
        var entry = _cluster.Entry;
        var baseSeq = Tsv.Long(entry.Execute("SELECT max(seq) FROM events").Trim());

        // 1. Duplicates: ids stored before, and repeats later in this file (the first row wins).
        entry.Execute($"CREATE TABLE {_dup} (event_id String) ENGINE = Log");
        entry.Execute($"INSERT INTO {_dup} SELECT DISTINCT event_id FROM events WHERE event_id GLOBAL IN (SELECT event_id FROM {_stage} WHERE event_id != '')");
        // The kept rows are copied once, so the steps below need no condition.
        entry.Execute($"CREATE TABLE {_kept} AS {_stage}");
        entry.Execute($"""
            INSERT INTO {_kept}
            SELECT * FROM {_stage}
            WHERE event_id = '' OR (event_id NOT IN (SELECT event_id FROM {_dup}) AND ord IN (SELECT min(ord) FROM {_stage} WHERE event_id != '' GROUP BY event_id))
            """);
        var stored = Tsv.Long(entry.Execute($"SELECT count() FROM {_kept}").Trim());

        // 2. Links: the earliest (timestamp, then seq) event carrying both ids wins, stored or new.
        entry.Execute($"CREATE TABLE {_links} (anonymous_id String, new_user String, old_user String) ENGINE = Log");
        entry.Execute($"""
            INSERT INTO {_links}
            SELECT anonymous_id, argMin(user_id, (ts, seq)), argMinIf(user_id, (ts, seq), old = 1)
            FROM
            (
                SELECT anonymous_id, user_id, ts, seq, toUInt8(1) AS old
                FROM events
                WHERE user_id != '' AND anonymous_id GLOBAL IN (SELECT anonymous_id FROM {_stage} WHERE anonymous_id != '')
                UNION ALL
                SELECT anonymous_id, user_id, ts, {baseSeq.ToString(CultureInfo.InvariantCulture)} + ord AS seq, toUInt8(0) AS old
                FROM {_kept}
                WHERE anonymous_id != '' AND user_id != ''
            )
            GROUP BY anonymous_id
            """);

        // 3. Route the new rows and the moved ones to their person's shard, still invisible.
        _cluster.OnEveryShard(node => node.Execute($"CREATE TABLE {_incoming} ({ClickHouseSchema.LocalColumns}) {ClickHouseSchema.EventEngine}"));
        entry.Execute($"CREATE TABLE {_incomingAll} ({ClickHouseSchema.EventColumns}) ENGINE = Distributed({_cluster.Name}, {_cluster.Location.Database}, {_incoming}, {ClickHouseSchema.ShardingKey})");
        var columns = $"person, seq, {ClickHouseSchema.Fields}";
        entry.Execute(
            $"""
            INSERT INTO {_incomingAll} ({columns})
            SELECT if(user_id != '', user_id, if(new_user != '', new_user, anonymous_id)), {baseSeq.ToString(CultureInfo.InvariantCulture)} + ord, {ClickHouseSchema.Fields}
            FROM {_kept}
            ANY LEFT JOIN (SELECT anonymous_id, new_user FROM {_links}) USING anonymous_id
            """,
            DistributedSync);

        var moves = entry.Lines($"SELECT anonymous_id, if(old_user != '', old_user, anonymous_id) FROM {_links} WHERE new_user != old_user FORMAT TabSeparated");
        if (moves.Count > 0)
        {
            entry.Execute(
                $"""
                INSERT INTO {_incomingAll} ({columns})
                SELECT mv_user, seq, {ClickHouseSchema.Fields}
                FROM events
                GLOBAL ANY INNER JOIN (SELECT anonymous_id, new_user AS mv_user FROM {_links} WHERE new_user != old_user) USING anonymous_id
                WHERE user_id = ''
                """,
                DistributedSync);
            var body = new TsvWriter();
            foreach (var line in moves)
            {
                var f = Tsv.Split(line);
                body.Field(Tsv.Unescape(f[0])).Field(Tsv.Unescape(f[1]));
                body.EndRow();
            }

            var (bytes, length) = body.Encode();
            _cluster.OnEveryShard(node =>
            {
                node.Execute($"CREATE TABLE {_moves} (anonymous_id String, old_person String) ENGINE = Log");
                node.Insert($"INSERT INTO {_moves} FORMAT TabSeparated", bytes, length);
            });
        }

        // 4. Publish on every shard, then delete the moved events' old copies.
        _cluster.OnEveryShard(node => node.Execute($"ALTER TABLE events_local ATTACH PARTITION tuple() FROM {_incoming}"));
        if (moves.Count > 0)
        {
            _cluster.OnEveryShard(node =>
            {
                node.Execute($"ALTER TABLE events_local DELETE WHERE user_id = '' AND (anonymous_id, person) IN (SELECT anonymous_id, old_person FROM {_moves})");
                WaitForMutations(node);
            });
        }

        _done = true;
        DropTables();
        return new ImportCounts(stored, _rows - stored);
    }

    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            DropTables();
        }
    }

    private void Flush()
    {
        if (_batch.Rows == 0)
        {
            return;
        }

        var (bytes, length) = _batch.Encode();
        _cluster.Entry.Insert($"INSERT INTO {_stage} (ord, {ClickHouseSchema.Fields}) FORMAT TabSeparated", bytes, length);
        _batch.Clear();
    }

    private static void WaitForMutations(ClickHouseNode node)
    {
        for (var wait = 10; ; wait = Math.Min(wait * 2, 500))
        {
            var pending = node.Execute("SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table = 'events_local' AND is_done = 0").Trim();
            if (pending == "0")
            {
                return;
            }

            Thread.Sleep(wait);
        }
    }

    /// <summary>Best effort: a table left behind (a shard down) is dropped by a later import.</summary>
    private void DropTables()
    {
        foreach (var table in new[] { _stage, _dup, _kept, _links, _incomingAll })
        {
            TryDrop(_cluster.Entry, table);
        }

        foreach (var node in _cluster.Shards)
        {
            TryDrop(node, _incoming);
            TryDrop(node, _moves);
        }

        static void TryDrop(ClickHouseNode node, string table)
        {
            try
            {
                node.Execute($"DROP TABLE IF EXISTS {table}");
            }
            catch (ClickHouseException)
            {
                // Left for StagingTables.DropAbandoned.
            }
        }
    }
}
