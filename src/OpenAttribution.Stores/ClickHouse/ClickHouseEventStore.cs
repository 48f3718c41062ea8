using System.Globalization;
using System.Text;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// A ClickHouse cluster as the store (spec section 7): <c>clickhouse://host:port[,host:port...]/db[?cluster=NAME]</c>,
/// one HTTP endpoint per shard. Events are sharded by person (see <see cref="ClickHouseSchema"/> and
/// <see cref="ClickHouseImport"/>), so journeys, rule-based models and path tables are computed on
/// the shards in parallel (<see cref="IAttributionPushdown"/>); only sums per dimension key and the
/// path table come back. Every read first checks that every shard answers and fails naming the one
/// that does not, so a report never adds up a part of the cluster.
/// </summary>
public sealed class ClickHouseEventStore : IEventStore, IAttributionPushdown
{
    private readonly ClickHouseCluster _cluster;
    private bool _disposed;

    public ClickHouseEventStore(string uri)
    {
        var location = ClickHouseLocation.Parse(uri);
        Description = location.Description;
        _cluster = new ClickHouseCluster(location);
        try
        {
            ClickHouseSchema.Ensure(_cluster);
        }
        catch
        {
            _cluster.Dispose();
            throw;
        }
    }

    public string Description { get; }

    /// <summary>Shards by number: "shard 1 (127.0.0.1:18124)".</summary>
    public IReadOnlyList<string> Shards => _cluster.Shards.Select(s => s.ToString()).ToList();

    public IStoreImport BeginImport()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _cluster.EnsureAllShardsAnswer();
        return new ClickHouseImport(_cluster);
    }

    public long ReadEvents(IEventSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _cluster.EnsureAllShardsAnswer();
        using var response = _cluster.Entry.Stream($"SELECT seq, {ClickHouseSchema.Fields} FROM events ORDER BY seq FORMAT TabSeparated", cancellationToken);
        using var reader = new StreamReader(response.Content.ReadAsStream(cancellationToken), Encoding.UTF8);
        long count = 0;
        while (reader.ReadLine() is { } line)
        {
            var f = Tsv.Split(line);
            if (f.Length != 16)
            {
                throw new ClickHouseException($"ClickHouse {_cluster.Entry}: unexpected row from the events table (expected 16 fields): {line}");
            }

            sink.Accept(new EventRow
            {
                Line = Tsv.Long(f[0]),
                EventId = Text(f[1]),
                TimestampTicks = Tsv.Long(f[2]),
                UserId = Text(f[3]),
                AnonymousId = Text(f[4]),
                Type = StoredEventType.Parse(f[5], "ClickHouse store"),
                Channel = Text(f[6]),
                Source = Text(f[7]),
                Medium = Text(f[8]),
                Campaign = Text(f[9]),
                Content = Text(f[10]),
                Term = Text(f[11]),
                Referrer = Text(f[12]),
                Url = Text(f[13]),
                Conversion = Text(f[14]),
                Value = Tsv.Double(f[15]),
            });
            if ((++count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return count;
    }

    public long CountEvents()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _cluster.OnEveryShard(node => Tsv.Long(node.Execute("SELECT count() FROM events_local").Trim())).Sum();
    }

    public void ImportCosts(IReadOnlyList<CostRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var row in rows)
        {
            if (string.IsNullOrEmpty(row.Channel) || string.IsNullOrEmpty(row.Currency) || !double.IsFinite(row.Cost))
            {
                throw new ArgumentException($"Cost row {row} needs a channel, a currency and a finite cost.", nameof(rows));
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        // One INSERT of fewer rows than a block (max_insert_block_size, 1,048,576) is atomic.
        var last = Tsv.Long(_cluster.Entry.Execute("SELECT max(seq) FROM costs").Trim());
        var body = new TsvWriter();
        foreach (var row in rows)
        {
            body.Field(++last).Field(row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Field(row.Channel)
                .Field(string.IsNullOrEmpty(row.Campaign) ? 0 : 1).Field(row.Campaign ?? "").Field(row.Cost).Field(row.Currency);
            body.EndRow();
        }

        var (bytes, length) = body.Encode();
        _cluster.Entry.Insert("INSERT INTO costs (seq, date, channel, has_campaign, campaign, cost, currency) FORMAT TabSeparated", bytes, length);
    }

    public long ReplaceCosts(DateOnly? from, DateOnly? to, IReadOnlyList<CostRow> rows) =>
        throw new NotSupportedException("a ClickHouse store keeps costs append-only (its deletes are asynchronous mutations); replace costs in a DuckDB or PostgreSQL store");

    public IReadOnlyList<CostRow> ReadCosts()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rows = new List<CostRow>();
        foreach (var line in _cluster.Entry.Lines("SELECT date, channel, has_campaign, campaign, cost, currency FROM costs ORDER BY date, channel, has_campaign, campaign, seq FORMAT TabSeparated"))
        {
            var f = Tsv.Split(line);
            rows.Add(new CostRow(
                DateOnly.ParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Tsv.Unescape(f[1]),
                f[2] == "1" ? Tsv.Unescape(f[3]) : null,
                Tsv.Double(f[4]),
                Tsv.Unescape(f[5])));
        }

        return rows;
    }

    public bool CanRun(IReadOnlyList<ModelSpec> models) => models.All(m => m.Kind != ModelKind.Custom);

    public IReadOnlyList<AttributionResult> Run(AttributionRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ClickHouseReports(_cluster).Run(request, cancellationToken);
    }

    public PathTable BuildPathTable(JourneyOptions journeys, Dimension dimension, ChannelGrouping grouping, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ClickHouseReports(_cluster).PathTable(journeys, dimension, grouping, cancellationToken);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _cluster.Dispose();
        }
    }

    public override string ToString() => Description;

    private static ReadOnlySpan<char> Text(string field) => field.Length == 0 ? default : Tsv.Unescape(field).AsSpan();
}
