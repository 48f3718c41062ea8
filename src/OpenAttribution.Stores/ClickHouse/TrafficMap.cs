using System.Globalization;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// Channel grouping for a pushed-down report: the distinct traffic-field combinations of the touches
/// are fetched from every shard, resolved in .NET exactly as when events are read (through
/// <see cref="EventTableBuilder"/>, so custom <c>--channel-rules</c> apply) and sent back to the shards
/// as the small table <c>oa_map</c> (hash, dimension key id, channel id).
/// </summary>
internal sealed class TrafficMap
{
    private TrafficMap(byte[] rows, IReadOnlyList<string> keys, int noneKey, int directChannel)
    {
        Rows = rows;
        Keys = keys;
        NoneKey = noneKey;
        DirectChannel = directChannel;
    }

    /// <summary>The TSV body of <c>oa_map</c>.</summary>
    public byte[] Rows { get; }

    /// <summary>Dimension values by key id, <c>(none)</c> included.</summary>
    public IReadOnlyList<string> Keys { get; }

    public int NoneKey { get; }

    /// <summary>The channel id of <c>Direct</c>, or -1.</summary>
    public int DirectChannel { get; }

    public static TrafficMap Build(ClickHouseCluster cluster, ChannelGrouping grouping, Dimension dimension, CancellationToken cancellationToken)
    {
        var perShard = cluster.OnEveryShard(node => node.Lines(JourneySql.TrafficSources, cancellationToken));
        var hashes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var builder = new EventTableBuilder(grouping, deduplicate: false);
        foreach (var lines in perShard)
        {
            foreach (var line in lines)
            {
                var f = Tsv.Split(line);
                if (!seen.Add(f[0]))
                {
                    continue;
                }

                hashes.Add(f[0]);
                builder.Accept(new EventRow
                {
                    Line = hashes.Count,
                    TimestampTicks = 0,
                    Type = EventType.Touch,
                    Value = 0,
                    AnonymousId = "-",
                    Channel = Tsv.Unescape(f[1]),
                    Source = Tsv.Unescape(f[2]),
                    Medium = Tsv.Unescape(f[3]),
                    Campaign = Tsv.Unescape(f[4]),
                    Content = Tsv.Unescape(f[5]),
                    Term = Tsv.Unescape(f[6]),
                    Referrer = Tsv.Unescape(f[7]),
                    Url = Tsv.Unescape(f[8]),
                });
            }
        }

        var table = builder.Build();
        var (keys, names) = dimension switch
        {
            Dimension.Channel => (table.Channels, table.Names.Channels),
            Dimension.Source => (table.Sources, table.Names.Sources),
            Dimension.Medium => (table.Mediums, table.Names.Mediums),
            Dimension.Campaign => (table.Campaigns, table.Names.Campaigns),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "unknown dimension"),
        };
        var none = names.Intern(JourneySet.NoneChannel);
        var body = new System.Text.StringBuilder(hashes.Count * 32);
        for (var i = 0; i < hashes.Count; i++)
        {
            body.Append(hashes[i]).Append('\t')
                .Append(keys[i].ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(table.Channels[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return new TrafficMap(
            System.Text.Encoding.UTF8.GetBytes(body.ToString()),
            [.. names.Names],
            none,
            table.Names.Channels.Find(JourneySet.DirectChannel));
    }
}
