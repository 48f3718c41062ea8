using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Options;
using OpenAttribution.Server.Http;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Costs;

/// <summary>What <c>POST</c> or <c>PUT /v1/costs</c> stored (and, for PUT, how many rows it replaced).</summary>
internal sealed record CostsResponse(int Imported, long? Replaced = null);

/// <summary>What <c>DELETE /v1/costs</c> deleted.</summary>
internal sealed record CostsDeletedResponse(long Deleted);

/// <summary>
/// <c>/v1/costs</c>: ad spend for ROI, as the CLI's <c>costs import</c> takes it. <c>POST</c> adds rows
/// (write key, as the reference has it, or the admin key only with <c>adminOnlyCosts</c>);
/// <c>PUT</c> replaces the costs of the days the file covers and <c>DELETE</c> removes the costs of a
/// date range (admin key: the write key is public).
/// </summary>
internal static class CostsApi
{
    public static IEndpointRouteBuilder MapCostsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/costs", PostCosts)
            .WithName("PostCosts")
            .WithTags("Ingestion")
            .WithSummary("Add ad costs (write key, or admin key with adminOnlyCosts)")
            .WithDescription("CSV with the header date,channel,campaign,cost,currency (campaign and currency optional). All rows or none: any bad row gets 400 naming its line and field.")
            .Accepts<string>("text/csv", "*/*");
        app.MapPut("/v1/costs", PutCosts)
            .WithName("ReplaceCosts")
            .WithTags("Ingestion")
            .WithSummary("Replace the costs of the days a cost file covers (admin key)")
            .WithDescription("The CSV of POST; every stored cost dated from the file's first day to its last is deleted and the file's rows stored, in one transaction. Answers {imported, replaced}.")
            .Accepts<string>("text/csv", "*/*");
        app.MapDelete("/v1/costs", DeleteCosts)
            .WithName("DeleteCosts")
            .WithTags("Ingestion")
            .WithSummary("Delete costs (admin key)")
            .WithDescription("Query: from, to (yyyy-MM-dd, both included; each optional, none deletes every cost). Answers {deleted}.");
        return app;
    }

    internal static async Task<Results<Ok<CostsResponse>, ValidationProblem, ProblemHttpResult>> PostCosts(
        HttpContext context, WorkspaceDirectory directory, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        var role = options.Value.AdminOnlyCosts ? KeyRole.Admin : KeyRole.Write;
        if (ApiKeyAuth.Authenticate(context, directory, role, out var workspace) is { } denied)
        {
            return denied;
        }

        return await WithRows(context, options, cancellationToken, rows =>
        {
            workspace.Store.ImportCosts(rows);
            return TypedResults.Ok(new CostsResponse(rows.Count));
        });
    }

    internal static async Task<Results<Ok<CostsResponse>, ValidationProblem, ProblemHttpResult>> PutCosts(
        HttpContext context, WorkspaceDirectory directory, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Admin, out var workspace) is { } denied)
        {
            return denied;
        }

        return await WithRows(context, options, cancellationToken, rows => rows.Count == 0
            ? Problems.Field("body", "the cost file has no rows, so it covers no days; to delete costs use DELETE /v1/costs?from=&to=")
            : TypedResults.Ok(new CostsResponse(rows.Count, workspace.Store.ReplaceCosts(rows.Min(r => r.Date), rows.Max(r => r.Date), rows))));
    }

    /// <summary>Reads the request's cost rows and hands them to <paramref name="store"/>, or answers why there are none.</summary>
    private static async Task<Results<Ok<CostsResponse>, ValidationProblem, ProblemHttpResult>> WithRows(
        HttpContext context,
        IOptions<ServerOptions> options,
        CancellationToken cancellationToken,
        Func<IReadOnlyList<CostRow>, Results<Ok<CostsResponse>, ValidationProblem, ProblemHttpResult>> store)
    {
        var body = await CostBody.ReadAsync(context, options.Value.MaxBodyBytes, cancellationToken);
        if (body.Invalid is { } invalid)
        {
            return invalid;
        }

        return body.TooLarge is { } tooLarge ? tooLarge : store(body.Rows);
    }

    internal static Results<Ok<CostsDeletedResponse>, ValidationProblem, ProblemHttpResult> DeleteCosts(HttpContext context, WorkspaceDirectory directory)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Admin, out var workspace) is { } denied)
        {
            return denied;
        }

        try
        {
            var query = new Reports.ReportQuery(context.Request.Query, ["from", "to"]);
            var (from, to) = ReportOptionParser.Range(query.Text("from"), query.Text("to"));
            return TypedResults.Ok(new CostsDeletedResponse(workspace.Store.ReplaceCosts(
                from is { } f ? DateOnly.FromDateTime(f) : null, to is { } t ? DateOnly.FromDateTime(t) : null, [])));
        }
        catch (OptionException ex)
        {
            return Problems.Field(ex.Option, $"{ex.Option} '{ex.Value}': {ex.Reason}");
        }
    }

    /// <summary>A request's cost rows, or why there are none: too large (413) or bad rows (400 naming lines and fields).</summary>
    private sealed record CostBody(IReadOnlyList<CostRow> Rows, ValidationProblem? Invalid = null, ProblemHttpResult? TooLarge = null)
    {
        public static async Task<CostBody> ReadAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
        {
            using var body = await BodyReader.ReadAsync(context.Request, maxBytes, cancellationToken);
            if (body is null)
            {
                return new CostBody([], TooLarge: Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", "The cost file is too large; send it in parts."));
            }

            try
            {
                using var reader = new StringReader(Encoding.UTF8.GetString(body.Span));
                var (rows, errors) = CostReader.Read(reader);
                return errors.Count == 0
                    ? new CostBody(rows)
                    : new CostBody([], TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = errors.Select(e => e.ToString()).ToArray() }, title: "Invalid cost rows"));
            }
            catch (FormatException ex)
            {
                return new CostBody([], Problems.Field("body", ex.Message));
            }
        }
    }
}
