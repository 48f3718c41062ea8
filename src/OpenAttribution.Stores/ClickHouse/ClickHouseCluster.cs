using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// The nodes of a store, one per shard, ordered by shard number. Opening checks that the listed
/// nodes are exactly the shards of the named <c>remote_servers</c> cluster (each node reports the
/// shard it is local to). <see cref="OnEveryShard{T}"/> runs work on all shards in parallel and fails,
/// naming the shard, when any of them fails: a result is never built from some shards only.
/// </summary>
internal sealed class ClickHouseCluster : IDisposable
{
    private readonly HttpClient _http;

    public ClickHouseCluster(ClickHouseLocation location)
    {
        Location = location;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        if (location.User is { Length: > 0 } user)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + (location.Password ?? "")));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        var nodes = location.Nodes.Select(n => new ClickHouseNode(_http, n, location.Database)).ToList();
        try
        {
            AssignShards(nodes, location.Cluster);
        }
        catch
        {
            _http.Dispose();
            throw;
        }

        Shards = [.. nodes.OrderBy(n => n.Shard)];
    }

    public ClickHouseLocation Location { get; }

    /// <summary>One node per shard, by shard number.</summary>
    public IReadOnlyList<ClickHouseNode> Shards { get; }

    /// <summary>The node of shard 1: it holds staging tables and costs and coordinates distributed statements.</summary>
    public ClickHouseNode Entry => Shards[0];

    public string Name => Location.Cluster;

    /// <summary>Runs <paramref name="work"/> on every shard in parallel; results in shard order.</summary>
    public T[] OnEveryShard<T>(Func<ClickHouseNode, T> work)
    {
        var tasks = Shards.Select(node => Task.Run(() => work(node))).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            var failures = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var clickHouse = failures.OfType<ClickHouseException>().ToList();
            if (clickHouse.Count == failures.Count)
            {
                throw clickHouse.Count == 1
                    ? clickHouse[0]
                    : new ClickHouseException(string.Join(Environment.NewLine, clickHouse.Select(f => f.Message)), clickHouse[0]);
            }

            throw failures.First(f => f is not ClickHouseException);
        }

        return tasks.Select(t => t.Result).ToArray();
    }

    public void OnEveryShard(Action<ClickHouseNode> work) => OnEveryShard(node =>
    {
        work(node);
        return 0;
    });

    /// <summary>Fails naming the first shard that does not answer.</summary>
    public void EnsureAllShardsAnswer() => OnEveryShard(node => node.Execute("SELECT 1", inDatabase: false));

    public void Dispose() => _http.Dispose();

    private static void AssignShards(List<ClickHouseNode> nodes, string cluster)
    {
        var quoted = Tsv.Quote(cluster);
        var problems = new List<string>();
        var shardCount = 0;
        foreach (var node in nodes)
        {
            var lines = node.Lines(
                $"SELECT (SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = {quoted}), shard_num FROM system.clusters WHERE cluster = {quoted} AND is_local = 1",
                inDatabase: false);
            if (lines.Count == 0)
            {
                problems.Add($"node {node.Name} is not a shard of cluster '{cluster}' in its remote_servers");
                continue;
            }

            var fields = Tsv.Split(lines[0]);
            shardCount = (int)Tsv.Long(fields[0]);
            node.Shard = (int)Tsv.Long(fields[1]);
        }

        foreach (var group in nodes.Where(n => n.Shard > 0).GroupBy(n => n.Shard).Where(g => g.Count() > 1))
        {
            problems.Add($"nodes {string.Join(" and ", group.Select(n => n.Name))} are the same shard {group.Key} of cluster '{cluster}'");
        }

        if (problems.Count == 0 && shardCount != nodes.Count)
        {
            problems.Add($"cluster '{cluster}' has {shardCount} shards but the URI lists {nodes.Count} nodes: list one node of every shard");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems) + ".");
        }
    }
}
