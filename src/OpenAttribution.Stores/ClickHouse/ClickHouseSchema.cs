namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// The tables of a store. On every shard: <c>events_local</c>, a MergeTree ordered by
/// (person, ts, seq), and <c>events</c>, a Distributed table over them sharded by
/// <c>cityHash64(person)</c>, so every person's events (their journey) are on one shard. On shard 1
/// only: <c>costs</c> (a few rows a day) and the staging tables of imports in progress.
/// </summary>
internal static class ClickHouseSchema
{
    /// <summary>The stored fields after <c>person</c> and <c>seq</c>, in insert order.</summary>
    public const string Fields = "event_id, ts, user_id, anonymous_id, type, channel, source, medium, campaign, content, term, referrer, url, conversion, value";

    /// <summary>The columns of <see cref="Fields"/>: an event's fields as a file gives them (an import's staging table).</summary>
    public const string FieldColumns = """
        event_id String,
        ts Int64,
        user_id String,
        anonymous_id String,
        type Enum8('touch' = 1, 'conversion' = 2, 'identify' = 3),
        channel String,
        source String,
        medium String,
        campaign String,
        content String,
        term String,
        referrer String,
        url String,
        conversion String,
        value Float64
        """;

    /// <summary>The columns of <c>events</c>: the person it is sharded by, its input order, its fields.</summary>
    public const string EventColumns = $"person String,\nseq UInt64,\n{FieldColumns}";

    /// <summary>
    /// The hash of a touch's traffic fields (<see cref="JourneySql.TrafficHash"/>), computed once when
    /// the row is stored rather than by every report. Only on the MergeTree tables: 18.16 refuses
    /// inserts into a Distributed table that has a MATERIALIZED column, so those list <see cref="EventColumns"/> only.
    /// </summary>
    public const string TrafficColumn = $"traffic UInt64 MATERIALIZED {JourneySql.TrafficHash}";

    /// <summary>Columns of <c>events_local</c> and of each import's incoming tables.</summary>
    public const string LocalColumns = $"{EventColumns},\n{TrafficColumn}";

    /// <summary>MergeTree for events (also each import's per-shard incoming table, so parts can be attached).</summary>
    public const string EventEngine = "ENGINE = MergeTree PARTITION BY tuple() ORDER BY (person, ts, seq)";

    public static string ShardingKey => "cityHash64(person)";

    public static void Ensure(ClickHouseCluster cluster)
    {
        var database = cluster.Location.Database;
        cluster.OnEveryShard(node =>
        {
            node.Execute($"CREATE DATABASE IF NOT EXISTS {database}", inDatabase: false);
            node.Execute($"CREATE TABLE IF NOT EXISTS events_local ({LocalColumns}) {EventEngine}");
            node.Execute($"CREATE TABLE IF NOT EXISTS events ({EventColumns}) ENGINE = Distributed({cluster.Name}, {database}, events_local, {ShardingKey})");
        });
        cluster.Entry.Execute("""
            CREATE TABLE IF NOT EXISTS costs (
                seq UInt64,
                date Date,
                channel String,
                has_campaign UInt8,
                campaign String,
                cost Float64,
                currency String
            ) ENGINE = MergeTree PARTITION BY tuple() ORDER BY (date, channel, has_campaign, campaign, seq)
            """);
    }
}
