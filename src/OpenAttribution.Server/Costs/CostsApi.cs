using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenAttribution.Core.Costs;
using OpenAttribution.Server.Http;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Costs;

/// <summary>What <c>POST /v1/costs</c> stored.</summary>
internal sealed record CostsResponse(int Imported);

/// <summary><c>POST /v1/costs</c>: ad spend for ROI, as the CLI's <c>costs import</c> takes it (write key).</summary>
internal static class CostsApi
{
    public static IEndpointRouteBuilder MapCostsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/costs", PostCosts)
            .WithName("PostCosts")
            .WithTags("Ingestion")
            .WithSummary("Add ad costs (write key)")
            .WithDescription("CSV with the header date,channel,campaign,cost,currency (campaign and currency optional). All rows or none: any bad row gets 400 naming its line and field.")
            .Accepts<string>("text/csv", "*/*");
        return app;
    }

    internal static async Task<Results<Ok<CostsResponse>, ValidationProblem, ProblemHttpResult>> PostCosts(
        HttpContext context, WorkspaceDirectory directory, IOptions<ServerOptions> options, CancellationToken cancellationToken)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Write, out var workspace) is { } denied)
        {
            return denied;
        }

        using var body = await BodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", "The cost file is too large; send it in parts.");
        }

        IReadOnlyList<CostRow> rows;
        try
        {
            using var reader = new StringReader(Encoding.UTF8.GetString(body.Span));
            var (read, errors) = CostReader.Read(reader);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = errors.Select(e => e.ToString()).ToArray() }, title: "Invalid cost rows");
            }

            rows = read;
        }
        catch (FormatException ex)
        {
            return Problems.Field("body", ex.Message);
        }

        workspace.Store.ImportCosts(rows);
        return TypedResults.Ok(new CostsResponse(rows.Count));
    }
}
