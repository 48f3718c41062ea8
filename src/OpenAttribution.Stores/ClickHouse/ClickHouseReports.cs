using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Paths;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// Runs a report on the shards: every shard computes its persons' journeys, the rule-based credits
/// per dimension key and the path table (<see cref="JourneySql"/>) in parallel; the results are added
/// up here, and the data-driven models (Markov, Shapley) run on the merged path table in .NET.
/// </summary>
internal sealed class ClickHouseReports(ClickHouseCluster cluster)
{
    /// <summary>
    /// Grouping by person holds every person's touches at once: past 3 GB a shard spills the
    /// aggregation to disk instead of failing on its memory limit.
    /// </summary>
    private static readonly Dictionary<string, string> Settings = new() { ["max_bytes_before_external_group_by"] = "3000000000" };

    public IReadOnlyList<AttributionResult> Run(AttributionRequest request, CancellationToken cancellationToken)
    {
        var models = request.Models;
        var problems = models.SelectMany(m => m.Validate().Select(p => $"{m.Name}: {p}")).ToList();
        if (problems.Count > 0)
        {
            throw new ModelInputException(string.Join(Environment.NewLine, problems));
        }

        cluster.EnsureAllShardsAnswer();
        var map = TrafficMap.Build(cluster, request.Grouping, request.Dimension, cancellationToken);
        var results = new AttributionResult[models.Count];
        var ruleBased = Enumerable.Range(0, models.Count).Where(m => !models[m].Kind.IsDataDriven()).ToArray();
        if (ruleBased.Length > 0)
        {
            var specs = ruleBased.Select(m => models[m]).ToArray();
            var credits = RuleCredits(request.Journeys, specs, map, request.Dimension, cancellationToken);
            for (var i = 0; i < ruleBased.Length; i++)
            {
                results[ruleBased[i]] = credits[i];
            }
        }

        var dataDriven = Enumerable.Range(0, models.Count).Where(m => models[m].Kind.IsDataDriven()).ToArray();
        if (dataDriven.Length > 0)
        {
            var table = PathTable(request.Journeys, map, cancellationToken);
            var specs = dataDriven.Select(m => models[m]).ToArray();
            var credits = AttributionEngine.Run(PathTableJourneys.ToJourneys(table), specs, Dimension.Channel);
            for (var i = 0; i < dataDriven.Length; i++)
            {
                var r = credits[i];
                results[dataDriven[i]] = new AttributionResult(r.Model, request.Dimension, r.Keys, r.Conversions, r.Values) { RemovalEffects = r.RemovalEffects };
            }
        }

        return results;
    }

    public PathTable PathTable(JourneyOptions journeys, Dimension dimension, ChannelGrouping grouping, CancellationToken cancellationToken)
    {
        cluster.EnsureAllShardsAnswer();
        return PathTable(journeys, TrafficMap.Build(cluster, grouping, dimension, cancellationToken), cancellationToken);
    }

    private AttributionResult[] RuleCredits(JourneyOptions journeys, ModelSpec[] models, TrafficMap map, Dimension dimension, CancellationToken cancellationToken)
    {
        var sql = JourneySql.RuleCredits(journeys, models, map.NoneKey, map.DirectChannel);
        var perShard = cluster.OnEveryShard(node => node.QueryWithTable(sql, JourneySql.MapTable, JourneySql.MapStructure, map.Rows, Settings, cancellationToken));
        var conversions = models.Select(_ => new double[map.Keys.Count]).ToArray();
        var values = models.Select(_ => new double[map.Keys.Count]).ToArray();
        foreach (var text in perShard)
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = Tsv.Split(line);
                var key = (int)Tsv.Long(f[0]);
                for (var m = 0; m < models.Length; m++)
                {
                    conversions[m][key] += Tsv.Double(f[1 + (2 * m)]);
                    values[m][key] += Tsv.Double(f[2 + (2 * m)]);
                }
            }
        }

        return models.Select((m, i) => new AttributionResult(m, dimension, map.Keys, conversions[i], values[i])).ToArray();
    }

    private PathTable PathTable(JourneyOptions journeys, TrafficMap map, CancellationToken cancellationToken)
    {
        var sql = JourneySql.PathTable(journeys, map.NoneKey);
        var perShard = cluster.OnEveryShard(node => node.QueryWithTable(sql, JourneySql.MapTable, JourneySql.MapStructure, map.Rows, Settings, cancellationToken));
        var names = new Interner();
        foreach (var key in map.Keys)
        {
            names.Intern(key);
        }

        var builder = new PathTableBuilder(names);
        foreach (var text in perShard)
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = Tsv.Split(line);
                builder.Add(Tsv.IntArray(f[0]), Tsv.Double(f[1]), Tsv.Double(f[2]), Tsv.Double(f[3]));
            }
        }

        return builder.Build();
    }
}
