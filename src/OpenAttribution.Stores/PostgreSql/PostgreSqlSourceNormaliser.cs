using Npgsql;
using NpgsqlTypes;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// The snapshot's one step in .NET: each distinct raw traffic source (table <c>oa_raw_sources</c>, in
/// order of first appearance) is normalised once by <see cref="TrafficSourceResolver.Resolve"/> (GA4's
/// rules, which do not depend on channel rules), the distinct normalised sources are numbered in order
/// of first appearance into <c>snapshot_sources</c>, and <c>snapshot_source_map</c> maps each raw
/// source's 64-bit hash to its normalised id. An update appends: its normaliser knows the stored sources. Click ids make most raw sources distinct (hundreds of
/// thousands on 10M events); they normalise to a few hundred, which is all a report classifies.
/// </summary>
internal static class PostgreSqlSourceNormaliser
{
    private const string RawFields = "channel, source, medium, campaign, content, term, referrer, url";

    public static void Run(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema) =>
        Run(connection, transaction, schema, new SourceNormaliser("PostgreSQL store"));

    public static void Run(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgreSqlSchema schema, SourceNormaliser normaliser)
    {
        var known = normaliser.Sources.Count;
        using (var command = new NpgsqlCommand(
            $"SELECT hash_record_extended(ROW({RawFields}), 0), {RawFields} FROM oa_raw_sources ORDER BY first_seq", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                normaliser.Add(reader.GetInt64(0), reader.Text(1), reader.Text(2), reader.Text(3), reader.Text(4), reader.Text(5), reader.Text(6), reader.Text(7), reader.Text(8));
            }
        }

        using (var sources = connection.BeginBinaryImport(
            $"COPY {schema.SnapshotSources} (id, channel, source, medium, campaign, content, term, referrer) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = known; i < normaliser.Sources.Count; i++)
            {
                var (channel, source, medium, campaign, content, term, referrer) = normaliser.Sources[i];
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

        using (var copy = connection.BeginBinaryImport($"COPY {schema.SnapshotSourceMap} (h, id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (hash, id) in normaliser.Map)
            {
                copy.StartRow();
                copy.Write(hash, NpgsqlDbType.Bigint);
                copy.Write(id, NpgsqlDbType.Integer);
            }

            copy.Complete();
        }

        if (known == 0)
        {
            PostgreSqlSchema.Execute(connection, transaction, $"ANALYZE {schema.SnapshotSourceMap}");
        }
    }
}
