using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenAttribution.Core.Events;
using OpenAttribution.Server.Http;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Ingestion;

/// <summary><c>POST /v1/events</c>: ingestion (spec section 8).</summary>
internal static class EventsApi
{
    public const string TrackerCors = "tracker";

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/events", PostEvents)
            .WithName("PostEvents")
            .WithTags("Ingestion")
            .WithSummary("Send events (write key)")
            .WithDescription("A JSON array of events or JSON Lines (spec section 1). Every event is validated; the answer comes once the accepted events are committed to the store. Events whose event_id the workspace already has are counted as duplicates. 413 when the body is too large, 503 with Retry-After when the server is overloaded (nothing of the request was stored).")
            .Accepts<EventDocument[]>("application/json", "application/x-ndjson", "text/plain", "*/*")
            .RequireCors(TrackerCors);
        return app;
    }

    internal static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> PostEvents(
        HttpContext context, WorkspaceDirectory directory, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Write, out var workspace) is { } denied)
        {
            return denied;
        }

        var limit = options.Value.MaxBodyBytes;
        using var body = await BodyReader.ReadAsync(context.Request, limit, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large",
                $"The body is larger than {limit.ToString(CultureInfo.InvariantCulture)} bytes; send smaller batches.");
        }

        var sink = new IngestSink();
        if (JsonBodyEventReader.Read(body.Span, sink, IsJsonLines(context.Request.ContentType), out _) is { } malformed)
        {
            return Problems.Field("body", malformed);
        }

        if (sink.Events.Count == 0)
        {
            return TypedResults.Ok(new IngestResponse(0, 0, sink.Rejected));
        }

        if (workspace.Writer.TrySubmit(sink.Events) is not { } stored)
        {
            context.Response.Headers.RetryAfter = "1";
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Overloaded",
                "The server's write queue is full; nothing of this request was stored. Retry after a second.");
        }

        IngestCounts counts;
        try
        {
            counts = await stored;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Not stored",
                "The store failed to commit this request's events; nothing of it was stored. Retry later.");
        }

        return TypedResults.Ok(new IngestResponse(counts.Accepted, counts.Duplicates, sink.Rejected));
    }

    /// <summary>Content types that say the body is JSON Lines (it is then never taken for an array).</summary>
    private static bool IsJsonLines(string? contentType) =>
        contentType is not null && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        media.MediaType.Value?.ToLowerInvariant() is "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines";
}
