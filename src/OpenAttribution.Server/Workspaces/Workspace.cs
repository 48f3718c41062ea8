using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Server.Ingestion;
using OpenAttribution.Server.Reports;
using OpenAttribution.Stores;
using OpenAttribution.Stores.Workspaces;

namespace OpenAttribution.Server.Workspaces;

/// <summary>
/// A workspace while the server runs: its store (the store's schema for it), its ingestion writer,
/// and, for a store without a resolved snapshot, the events read for reports, kept until the next
/// commit changes them.
/// </summary>
internal sealed class Workspace : IAsyncDisposable
{
    private readonly Lock _tableLock = new();
    private long _version;
    private (long Version, EventTable Table)? _table;

    public Workspace(WorkspaceRecord record, IWorkspaceCatalog catalog, ServerOptions options, ILogger logger)
    {
        Record = record;
        Store = catalog.OpenEvents(record);
        Writer = new IngestWriter(this, options, logger);
    }

    public WorkspaceRecord Record { get; }

    public string Name => Record.Name;

    public IEventStore Store { get; }

    public IngestWriter Writer { get; }

    /// <summary>Called after every commit that stored events: the next report reads them.</summary>
    public void Changed() => Interlocked.Increment(ref _version);

    /// <summary>
    /// Feeds every stored journey to <paramref name="consume"/> (channels by GA4's default channel group):
    /// streamed in batches of people from a store with a resolved snapshot (DuckDB, PostgreSQL), so a
    /// report holds no events; otherwise built from the events, read once and kept until the next commit.
    /// </summary>
    public void Journeys(JourneyOptions options, Action<JourneySet> consume, CancellationToken cancellationToken = default)
    {
        if (Store is IResolvedEventSource resolved)
        {
            JourneyPipeline.Run((onBatch, stop) => resolved.ReadJourneys(ChannelGrouping.Default, options, onBatch, stop), consume, cancellationToken);
            return;
        }

        consume(JourneyBuilder.Build(Events(), options));
    }

    /// <summary>
    /// The models' credit over every stored journey: from a store with a resolved snapshot, a report
    /// kept since it was last asked for and brought up to date with what changed (<see cref="KeptReports"/>);
    /// otherwise folded from the events kept in memory.
    /// </summary>
    public IReadOnlyList<AttributionResult> Attribute(JourneyOptions options, IReadOnlyList<ModelSpec> models, Dimension dimension, CancellationToken cancellationToken)
    {
        if (Store is IResolvedEventSource resolved)
        {
            return Kept.Attribute(resolved, options, models, dimension, cancellationToken);
        }

        var accumulator = new AttributionAccumulator(models, dimension);
        Journeys(options, accumulator.Add, cancellationToken);
        return accumulator.Results(cancellationToken);
    }

    /// <summary>The path report over every stored journey, kept between requests as <see cref="Attribute"/> is.</summary>
    public Core.Reports.PathReport Paths(JourneyOptions options, int top, Dimension dimension, CancellationToken cancellationToken)
    {
        if (Store is IResolvedEventSource resolved)
        {
            return Kept.Paths(resolved, options, top, dimension, cancellationToken);
        }

        var paths = new Core.Reports.PathReportAccumulator(top, dimension);
        Journeys(options, paths.Add, cancellationToken);
        return paths.Build();
    }

    /// <summary>The reports kept for this workspace.</summary>
    public KeptReports Kept { get; } = new();

    /// <summary>Every stored event grouped into channels (GA4's default channel group), kept until the next commit.</summary>
    private EventTable Events()
    {
        lock (_tableLock)
        {
            var version = Interlocked.Read(ref _version);
            if (_table is { } cached && cached.Version == version)
            {
                return cached.Table;
            }

            var table = Store.ReadTable(ChannelGrouping.Default);
            _table = (version, table);
            return table;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        Store.Dispose();
    }
}
