using System.Globalization;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// Names of an import's working tables (<c>oa_stage_*</c>, <c>oa_in_*</c>, <c>oa_mv_*</c>) carry their
/// creation time, so tables abandoned by a killed import can be dropped later: never read by reports,
/// they are removed by the next import once a day old.
/// </summary>
internal static class StagingTables
{
    private static readonly TimeSpan Abandoned = TimeSpan.FromDays(1);

    /// <summary>Unix seconds, then random hex: <c>1764300000_3fa2c1d9</c>.</summary>
    public static string NewId() =>
        DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "_" +
        Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    public static void DropAbandoned(ClickHouseCluster cluster)
    {
        var cutoff = DateTimeOffset.UtcNow - Abandoned;
        cluster.OnEveryShard(node =>
        {
            foreach (var name in node.Lines("SELECT name FROM system.tables WHERE database = currentDatabase() AND match(name, '^oa_(stage|in|mv)_[0-9]+_') FORMAT TabSeparated"))
            {
                var parts = name.Split('_');
                if (long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && DateTimeOffset.FromUnixTimeSeconds(seconds) < cutoff)
                {
                    node.Execute($"DROP TABLE IF EXISTS {name}");
                }
            }
        });
    }
}
