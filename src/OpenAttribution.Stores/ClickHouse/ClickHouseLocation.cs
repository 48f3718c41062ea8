using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// A <c>clickhouse://[user[:pass]@]host:port[,host:port...]/db[?cluster=NAME]</c> URI: the HTTP
/// endpoint of every shard of the cluster (one node per shard, in any order), the database, and
/// the cluster name of the servers' <c>remote_servers</c> (default <c>oa</c>). The cluster must have
/// exactly the listed nodes as its shards (one replica each).
/// </summary>
internal sealed partial class ClickHouseLocation
{
    public const int DefaultPort = 8123;
    public const string DefaultCluster = "oa";

    private ClickHouseLocation(IReadOnlyList<Uri> nodes, string database, string cluster, string? user, string? password, string description)
    {
        Nodes = nodes;
        Database = database;
        Cluster = cluster;
        User = user;
        Password = password;
        Description = description;
    }

    /// <summary>HTTP base addresses of the nodes, as listed.</summary>
    public IReadOnlyList<Uri> Nodes { get; }

    public string Database { get; }

    /// <summary>The <c>remote_servers</c> cluster.</summary>
    public string Cluster { get; }

    public string? User { get; }

    /// <summary>Never print it.</summary>
    public string? Password { get; }

    /// <summary>Nodes, database and cluster; no password.</summary>
    public string Description { get; }

    public override string ToString() => Description;

    public static ClickHouseLocation Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string Scheme = "clickhouse://";
        if (!uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("A ClickHouse store is a URI clickhouse://host:port[,host:port...]/db[?cluster=NAME].", nameof(uri));
        }

        var rest = uri[Scheme.Length..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var info = rest[..at];
            rest = rest[(at + 1)..];
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon >= 0 ? info[..colon] : info);
            password = colon >= 0 ? Uri.UnescapeDataString(info[(colon + 1)..]) : null;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hosts = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : "";
        if (database.Length == 0)
        {
            database = "default";
        }

        if (!IdentifierPattern().IsMatch(database))
        {
            throw new ArgumentException($"database '{database}' in the ClickHouse URI is not a plain identifier (letters, digits and _, not starting with a digit).", nameof(uri));
        }

        var nodes = new List<Uri>();
        foreach (var part in hosts.Split(',', StringSplitOptions.TrimEntries))
        {
            nodes.Add(Node(part, uri));
        }

        var cluster = DefaultCluster;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair).ToLowerInvariant();
            var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : "";
            if (key != "cluster")
            {
                throw new ArgumentException($"Unknown parameter '{key}' in the ClickHouse URI; known: cluster.", nameof(uri));
            }

            if (!IdentifierPattern().IsMatch(value))
            {
                throw new ArgumentException($"cluster '{value}' in the ClickHouse URI is not a plain identifier.", nameof(uri));
            }

            cluster = value;
        }

        var who = user is { Length: > 0 } ? user + "@" : "";
        var description = $"ClickHouse {who}{string.Join(",", nodes.Select(n => n.Authority))}/{database} (cluster {cluster})";
        return new ClickHouseLocation(nodes, database, cluster, user, password, description);
    }

    private static Uri Node(string part, string uri)
    {
        if (part.Length == 0)
        {
            throw new ArgumentException("The ClickHouse URI names an empty host; use clickhouse://host:port[,host:port...]/db.", nameof(uri));
        }

        var colon = part.LastIndexOf(':');
        var host = colon > 0 && !part.EndsWith(']') ? part[..colon] : part;
        var port = DefaultPort;
        if (colon > 0 && !part.EndsWith(']'))
        {
            var text = part[(colon + 1)..];
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"port '{text}' of host '{host}' in the ClickHouse URI is not a port number (1 to 65535).", nameof(uri));
            }
        }

        return new Uri($"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
