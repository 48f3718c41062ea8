namespace OpenAttribution.Server;

/// <summary>
/// Settings of the server (configuration keys <c>store</c>, <c>maxBodyBytes</c>, ...; on the command
/// line <c>--store FILE</c>).
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>The store: a DuckDB file (default <c>openattribution.duckdb</c>) or a postgresql:// URI.</summary>
    public string Store { get; set; } = "openattribution.duckdb";

    /// <summary>Largest accepted <c>POST /v1/events</c> body; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 4 << 20;

    /// <summary>Request batches a workspace's writer holds before new ones get 503.</summary>
    public int QueueCapacity { get; set; } = 512;

    /// <summary>Most events one group commit takes from the queue.</summary>
    public int MaxEventsPerCommit { get; set; } = 50_000;
}
