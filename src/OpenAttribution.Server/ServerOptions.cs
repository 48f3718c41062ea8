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

    /// <summary>
    /// Whether <c>POST /v1/costs</c> needs the admin key. The reference (spec section 8) gives it to the
    /// write key, which is public in every tracked page, so by default anyone can add costs; set this
    /// on a public site. Replacing and deleting costs always needs the admin key.
    /// </summary>
    public bool AdminOnlyCosts { get; set; }

    /// <summary>Most events one group commit takes from the queue.</summary>
    public int MaxEventsPerCommit { get; set; } = 50_000;

    /// <summary>
    /// Reports computed at once, on the server's report threads (default: the cores, at least two, so
    /// a long report leaves room for short ones). The threads are not the request threads, so however
    /// busy they are, ingestion and static files are served.
    /// </summary>
    public int MaxConcurrentReports { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Reports waiting for a turn, at most; more get 503 with Retry-After at once.</summary>
    public int MaxQueuedReports { get; set; } = 16;

    /// <summary>A report not done this many seconds after it was asked for (waiting included) is stopped: 503.</summary>
    public double ReportTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// The most solver work one Markov report may take (operations, estimated before solving); a larger
    /// chain is refused at once (400 naming the model). The default, 5e10, is about 40 s of
    /// Gauss-Seidel on the 2-core machine of BENCHMARKS.md (the dense elimination, used up to 3,000
    /// states, stays below 2.7e9): Markov by channel, source or medium is far below it, Markov by 3,000
    /// campaigns (4.6e10, 38 s) just under, by 30,000 campaigns (5e11) above.
    /// </summary>
    public double MaxMarkovWork { get; set; } = 5e10;
}
