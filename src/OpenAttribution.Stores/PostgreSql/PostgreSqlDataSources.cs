using Npgsql;

namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> (one connection pool) per PostgreSQL server and database in the
/// process, shared by every store and catalog on it. A server with many workspaces opens a store per
/// workspace; with a pool each they could together hold more connections than the server allows.
/// The schemas differ, not the connections: every statement names its schema's tables. The last
/// store to let go disposes the data source.
/// </summary>
internal static class PostgreSqlDataSources
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (NpgsqlDataSource Source, int Users)> Shared = new(StringComparer.Ordinal);

    /// <summary>The data source of <paramref name="connectionString"/>, made on first use; pair with <see cref="Release"/>.</summary>
    public static NpgsqlDataSource Acquire(string connectionString)
    {
        lock (Gate)
        {
            if (Shared.TryGetValue(connectionString, out var entry))
            {
                Shared[connectionString] = (entry.Source, entry.Users + 1);
                return entry.Source;
            }

            var source = NpgsqlDataSource.Create(connectionString);
            Shared[connectionString] = (source, 1);
            return source;
        }
    }

    /// <summary>One user fewer of <paramref name="source"/>; the last one disposes it.</summary>
    public static void Release(NpgsqlDataSource source)
    {
        lock (Gate)
        {
            foreach (var (key, entry) in Shared)
            {
                if (ReferenceEquals(entry.Source, source))
                {
                    if (entry.Users > 1)
                    {
                        Shared[key] = (source, entry.Users - 1);
                        return;
                    }

                    Shared.Remove(key);
                    break;
                }
            }
        }

        source.Dispose();
    }

    /// <summary>How many stores and catalogs hold the data source of <paramref name="connectionString"/> (0: none).</summary>
    internal static int Users(string connectionString)
    {
        lock (Gate)
        {
            return Shared.TryGetValue(connectionString, out var entry) ? entry.Users : 0;
        }
    }
}
