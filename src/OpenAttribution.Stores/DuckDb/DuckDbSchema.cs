using System.Globalization;
using DuckDB.NET.Data;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The tables of a DuckDB store. <c>meta</c> holds the schema version; <c>events</c> every raw field
/// of each accepted event with its global input order <c>seq</c>; <c>costs</c> the spend rows.
/// Text fields are NULL when absent (never empty strings).
/// </summary>
internal static class DuckDbSchema
{
    /// <summary>The schema this code reads and writes.</summary>
    public const int Version = 1;

    /// <summary>The columns of an event after <c>seq</c> in <c>events</c>, in table order (an import's Arrow stream has the same names).</summary>
    public const string EventColumns =
        "event_id, timestamp_ticks, user_id, anonymous_id, type, channel, source, medium, campaign, content, term, referrer, url, conversion, value";

    /// <summary>
    /// The <c>events</c> table. Four text columns name their compression, so that DuckDB does not try
    /// every method on each row group when it compresses an import: ids (<c>event_id</c>,
    /// <c>user_id</c>, <c>anonymous_id</c>) are mostly distinct within a row group, where FSST is what
    /// DuckDB picks anyway (a dictionary cannot shrink distinct strings), and <c>type</c> has three
    /// values. Same file size on 10M events, ~1.7 s less compression work (docs: BENCHMARKS.md).
    /// The other text columns stay automatic: whether a dictionary or FSST wins depends on the data
    /// (URLs with click ids are distinct, campaign names repeat). Stores created before keep
    /// automatic compression for every column, which reads and writes the same.
    /// </summary>
    private const string CreateEvents = """
        CREATE TABLE events (
            seq             BIGINT NOT NULL,
            event_id        VARCHAR USING COMPRESSION fsst,
            timestamp_ticks BIGINT NOT NULL,
            user_id         VARCHAR USING COMPRESSION fsst,
            anonymous_id    VARCHAR USING COMPRESSION fsst,
            type            VARCHAR NOT NULL USING COMPRESSION dictionary,
            channel         VARCHAR,
            source          VARCHAR,
            medium          VARCHAR,
            campaign        VARCHAR,
            content         VARCHAR,
            term            VARCHAR,
            referrer        VARCHAR,
            url             VARCHAR,
            conversion      VARCHAR,
            value           DOUBLE NOT NULL
        )
        """;

    /// <summary>The full path of a store file, its folder created when missing.</summary>
    public static string PrepareFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return full;
    }

    /// <summary>Opens the store: creates the schema in an empty file, checks the version of an existing one.</summary>
    public static void Ensure(DuckDBConnection connection, string path, string schema = "main")
    {
        var tables = Tables(connection, schema);
        if (tables.Contains("meta"))
        {
            var version = ReadVersion(connection, path);
            if (version != Version)
            {
                throw new InvalidDataException(version > Version
                    ? $"{path}: the store has schema version {version}, newer than this program's {Version}; use a newer OpenAttribution."
                    : $"{path}: the store has schema version {version}, which this program ({Version}) cannot read.");
            }

            return;
        }

        if (tables.Count > 0)
        {
            throw new InvalidDataException(
                $"{path}: a DuckDB file with tables ({string.Join(", ", tables.Order(StringComparer.Ordinal))}) but no OpenAttribution 'meta' table; it is not an OpenAttribution store.");
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
        Execute(connection, $"INSERT INTO meta VALUES ('schema_version', '{Version.ToString(CultureInfo.InvariantCulture)}')");
        Execute(connection, CreateEvents);
        Execute(connection, """
            CREATE TABLE costs (
                date     DATE NOT NULL,
                channel  VARCHAR NOT NULL,
                campaign VARCHAR,
                cost     DOUBLE NOT NULL,
                currency VARCHAR NOT NULL
            )
            """);
        transaction.Commit();
    }

    private static int ReadVersion(DuckDBConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        var text = command.ExecuteScalar() as string;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidDataException($"{path}: the store's meta table has no valid schema_version (found '{text ?? "nothing"}').");
        }

        return version;
    }

    private static HashSet<string> Tables(DuckDBConnection connection, string schema)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1";
        command.Parameters.Add(new DuckDBParameter(schema));
        using var reader = command.ExecuteReader();
        var tables = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    public static long Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
