using System.Globalization;
using Npgsql;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// The tables of a store in one PostgreSQL schema, versioned by the row <c>schema_version</c> of
/// <c>oa_meta</c>. Creating them takes a transaction-scoped advisory lock, so two programs opening the
/// same new schema at once do not race.
/// </summary>
internal sealed class PostgreSqlSchema
{
    public const int Version = 1;

    /// <summary>Ticks (100 ns) from 0001-01-01 to the Unix epoch.</summary>
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>First key of the advisory lock that guards creation ("oa").</summary>
    private const int LockClass = 0x6f61;

    public PostgreSqlSchema(string schema)
        : this(schema, "")
    {
    }

    private PostgreSqlSchema(string schema, string suffix)
    {
        Name = schema;
        Suffix = suffix;
        var quoted = Quote(schema);
        Events = quoted + ".events";
        Costs = quoted + ".costs";
        Meta = quoted + ".oa_meta";
        SnapshotMeta = quoted + ".snapshot_meta" + suffix;
        SnapshotSources = quoted + ".snapshot_sources" + suffix;
        SnapshotConversions = quoted + ".snapshot_conversions" + suffix;
        SnapshotChunks = quoted + ".snapshot_chunks" + suffix;
        SnapshotSourceMap = quoted + ".snapshot_source_map" + suffix;
        SnapshotPeople = quoted + ".snapshot_people" + suffix;
        SnapshotLinks = quoted + ".snapshot_links" + suffix;
        SnapshotRows = quoted + ".snapshot_rows" + suffix;
        SnapshotDelta = quoted + ".snapshot_delta" + suffix;
        SnapshotDead = quoted + ".snapshot_dead" + suffix;
        SnapshotChanges = quoted + ".snapshot_changes" + suffix;
    }

    /// <summary>
    /// The same schema with the snapshot's tables (and their indexes) named with <c>_next</c>: where a
    /// compaction builds before it swaps them in (<see cref="PostgreSqlSnapshot.BuildBeside"/>).
    /// </summary>
    public PostgreSqlSchema Beside() => new(Name, Snapshot.CompactionTrigger.BesideSuffix);

    public string Name { get; }

    /// <summary>What the snapshot's table and index names end with: empty, or <c>_next</c> (<see cref="Beside"/>).</summary>
    public string Suffix { get; }

    /// <summary>Schema-qualified, quoted table names.</summary>
    public string Events { get; }

    public string Costs { get; }

    public string Meta { get; }

    /// <summary>The resolved snapshot's tables (<see cref="PostgreSqlSnapshot"/>), created when first built.</summary>
    public string SnapshotMeta { get; }

    public string SnapshotSources { get; }

    public string SnapshotConversions { get; }

    public string SnapshotChunks { get; }

    /// <summary>What incremental updates of the snapshot need (<see cref="PostgreSqlSnapshotUpdate"/>).</summary>
    public string SnapshotSourceMap { get; }

    public string SnapshotPeople { get; }

    public string SnapshotLinks { get; }

    public string SnapshotRows { get; }

    public string SnapshotDelta { get; }

    public string SnapshotDead { get; }

    /// <summary>The people each update re-resolved, by the update's version (kept reports).</summary>
    public string SnapshotChanges { get; }

    /// <summary>
    /// The shared data source of <paramref name="location"/>'s server (<see cref="PostgreSqlDataSources"/>;
    /// give it back with <see cref="PostgreSqlDataSources.Release"/>) with this schema's tables ensured;
    /// a server that cannot be reached fails naming the store.
    /// </summary>
    public NpgsqlDataSource Open(PostgreSqlLocation location)
    {
        var dataSource = PostgreSqlDataSources.Acquire(location.ConnectionString);
        try
        {
            using var connection = dataSource.OpenConnection();
            Ensure(connection);
            return dataSource;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            PostgreSqlDataSources.Release(dataSource);
            throw new InvalidOperationException($"Cannot open the store {location.Description}: {e.Message}", e);
        }
        catch
        {
            PostgreSqlDataSources.Release(dataSource);
            throw;
        }
    }

    /// <summary>Creates the schema and the tables when missing; checks the version of existing ones.</summary>
    public void Ensure(NpgsqlConnection connection)
    {
        if (ReadVersion(connection, null) == Version)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@c, hashtext(@s))", ("c", LockClass), ("s", Name));
        var version = ReadVersion(connection, transaction);
        if (version == Version)
        {
            return;
        }

        if (version is not null)
        {
            throw new NotSupportedException(
                $"The store in schema {Name} has version {version.Value.ToString(CultureInfo.InvariantCulture)}; this program knows version {Version.ToString(CultureInfo.InvariantCulture)}. Use a newer release.");
        }

        using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = @s)", connection, transaction))
        {
            exists.Parameters.AddWithValue("s", Name);
            if (!(bool)exists.ExecuteScalar()!)
            {
                Execute(connection, transaction, $"CREATE SCHEMA {Quote(Name)}");
            }
        }

        Execute(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {Meta} (
                key text PRIMARY KEY,
                value text NOT NULL
            );

            CREATE TABLE {Events} (
                seq bigint PRIMARY KEY,
                event_id text COLLATE "C",
                ts_ticks bigint NOT NULL,
                occurred_at timestamptz GENERATED ALWAYS AS (to_timestamp((ts_ticks - {UnixEpochTicks}) / 10000000.0::double precision)) STORED,
                user_id text COLLATE "C",
                anonymous_id text COLLATE "C",
                type text NOT NULL CHECK (type IN ('touch', 'conversion', 'identify')),
                channel text,
                source text,
                medium text,
                campaign text,
                content text,
                term text,
                referrer text,
                url text,
                conversion text,
                value double precision NOT NULL DEFAULT 0,
                CHECK (user_id IS NOT NULL OR anonymous_id IS NOT NULL)
            );
            CREATE UNIQUE INDEX ON {Events} (event_id);
            COMMENT ON TABLE {Events} IS 'OpenAttribution events: the raw fields of every accepted event; channels are grouped when reading.';
            COMMENT ON COLUMN {Events}.seq IS 'Input order across imports (each import continues after the current maximum).';
            COMMENT ON COLUMN {Events}.ts_ticks IS 'Timestamp in UTC as .NET ticks (100 ns since 0001-01-01), exact.';
            COMMENT ON COLUMN {Events}.occurred_at IS 'ts_ticks as timestamptz (microseconds), for queries.';

            CREATE TABLE {Costs} (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                date date NOT NULL,
                channel text COLLATE "C" NOT NULL,
                campaign text COLLATE "C",
                cost double precision NOT NULL,
                currency text NOT NULL
            );
            CREATE INDEX ON {Costs} (date, channel, campaign);

            INSERT INTO {Meta} (key, value) VALUES ('schema_version', '{Version.ToString(CultureInfo.InvariantCulture)}');
            """);
        transaction.Commit();
    }

    private int? ReadVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand(
            "SELECT to_regclass(quote_ident(@s) || '.oa_meta') IS NOT NULL", connection, transaction);
        command.Parameters.AddWithValue("s", Name);
        if (!(bool)command.ExecuteScalar()!)
        {
            return null;
        }

        command.CommandText = $"SELECT value FROM {Meta} WHERE key = 'schema_version'";
        command.Parameters.Clear();
        return command.ExecuteScalar() is string text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? version
                : throw new InvalidDataException($"The store in schema {Name} has an unreadable schema_version '{text}'.")
            : null;
    }

    internal static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>An object of this schema by its unquoted name, quoted and qualified.</summary>
    public string Qualified(string name) => Quote(Name) + "." + Quote(name);

    /// <summary>Quotes an identifier (the location only lets plain identifiers through).</summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
