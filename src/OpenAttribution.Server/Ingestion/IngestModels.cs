namespace OpenAttribution.Server.Ingestion;

/// <summary>One rejected event of a request: its index in the body (from 0) and every reason.</summary>
internal sealed record RejectedEvent(long Index, string Error);

/// <summary>The answer of <c>POST /v1/events</c> (spec section 8).</summary>
internal sealed record IngestResponse(long Accepted, long Duplicates, IReadOnlyList<RejectedEvent> Rejected);

/// <summary>What a group commit did with one request's events.</summary>
internal readonly record struct IngestCounts(long Accepted, long Duplicates);

/// <summary>
/// One event as the API takes it (spec section 1); documents the body of <c>POST /v1/events</c>.
/// Numbers may also be sent as strings; unknown fields are ignored.
/// </summary>
internal sealed record EventDocument(
    string? EventId,
    string Timestamp,
    string? UserId,
    string? AnonymousId,
    string Type,
    string? Channel,
    string? Source,
    string? Medium,
    string? Campaign,
    string? Content,
    string? Term,
    string? Referrer,
    string? Url,
    string? Conversion,
    double? Value);
