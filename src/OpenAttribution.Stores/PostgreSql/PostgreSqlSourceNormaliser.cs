using Npgsql;
using NpgsqlTypes;
using OpenAttribution.Core.Channels;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// The snapshot's one step in .NET: each distinct raw traffic source (table <c>oa_raw_sources</c>, in
/// order of first appearance) is normalised once by <see cref="TrafficSourceResolver.Resolve"/> (GA4's
/// rules, which do not depend on channel rules), the distinct normalised sources are numbered in order
/// of first appearance into <c>snapshot_sources</c>, and the temporary <c>oa_source_map</c> maps each raw
/// source's 64-bit hash to its normalised id. Click ids make most raw sources distinct (hundreds of
/// thousands on 10M events); they normalise to a few hundred, which is all a report classifies.
/// </summary>
internal static class PostgreSqlSourceNormaliser
{
    private const string RawFields = "channel, source, medium, campaign, content, term, referrer, url";

    public static void Run(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema)
    {
        var ids = new Dictionary<(string?, string?, string?, string?, string?, string?, string?), int>();
        var rows = new List<(string?, string?, string?, string?, string?, string?, string?)>();
        var map = new List<(long Hash, int Id)>();
        var hashes = new HashSet<long>();
        using (var command = new NpgsqlCommand(
            $"SELECT hash_record_extended(ROW({RawFields}), 0), {RawFields} FROM oa_raw_sources ORDER BY first_seq", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var hash = reader.GetInt64(0);
                if (!hashes.Add(hash))
                {
                    throw new InvalidDataException(
                        "PostgreSQL store: two traffic source combinations share a 64-bit hash; the resolved snapshot cannot be built (read the raw events instead).");
                }

                var referrer = Text(reader, 7);
                var t = TrafficSourceResolver.Resolve(Text(reader, 2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6), referrer, Text(reader, 8));
                var key = (Text(reader, 1), t.Source, t.Medium, t.Campaign, t.Content, t.Term, referrer);
                if (!ids.TryGetValue(key, out var id))
                {
                    id = rows.Count;
                    ids.Add(key, id);
                    rows.Add(key);
                }

                map.Add((hash, id));
            }
        }

        using (var sources = connection.BeginBinaryImport(
            $"COPY {schema.SnapshotSources} (id, channel, source, medium, campaign, content, term, referrer) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var (channel, source, medium, campaign, content, term, referrer) = rows[i];
                sources.StartRow();
                sources.Write(i, NpgsqlDbType.Integer);
                foreach (var text in (string?[])[channel, source, medium, campaign, content, term, referrer])
                {
                    if (text is null)
                    {
                        sources.WriteNull();
                    }
                    else
                    {
                        sources.Write(text, NpgsqlDbType.Text);
                    }
                }
            }

            sources.Complete();
        }

        PostgreSqlSchema.Execute(connection, transaction, "CREATE TEMP TABLE oa_source_map (h bigint NOT NULL, id int NOT NULL) ON COMMIT DROP");
        using (var copy = connection.BeginBinaryImport("COPY oa_source_map (h, id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (hash, id) in map)
            {
                copy.StartRow();
                copy.Write(hash, NpgsqlDbType.Bigint);
                copy.Write(id, NpgsqlDbType.Integer);
            }

            copy.Complete();
        }

        PostgreSqlSchema.Execute(connection, transaction, "ANALYZE oa_source_map");
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
