using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Stores;

/// <summary>
/// A store that builds journeys and runs models where the events are (e.g. on the shards of a
/// ClickHouse cluster) instead of streaming every event to the program. Callers use it when the
/// store implements it and <see cref="CanRun"/> says yes, otherwise they read the events
/// (<see cref="IEventStore.ReadEvents"/>) and run the models in .NET. Both give the same numbers.
/// </summary>
public interface IAttributionPushdown
{
    /// <summary>Whether every model of the request runs in the store (custom rule models do not).</summary>
    bool CanRun(IReadOnlyList<ModelSpec> models);

    /// <summary>One result per model, in the order given.</summary>
    IReadOnlyList<AttributionResult> Run(AttributionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The path table of the stored journeys over a dimension (spec section 6).</summary>
    PathTable BuildPathTable(JourneyOptions journeys, Dimension dimension, ChannelGrouping grouping, CancellationToken cancellationToken = default);
}

/// <summary>Models, the report dimension, journey options and channel grouping of one report.</summary>
public sealed record AttributionRequest(IReadOnlyList<ModelSpec> Models, Dimension Dimension, JourneyOptions Journeys, ChannelGrouping Grouping);
