using Microsoft.AspNetCore.Http.HttpResults;
using OpenAttribution.Server.Http;

namespace OpenAttribution.Server.Workspaces;

/// <summary>Which workspace a key opens and what it may do.</summary>
internal sealed record WorkspaceResponse(string Workspace, string Role, long Events);

/// <summary><c>GET /v1/workspace</c>: the dashboard shows the workspace its read key opens.</summary>
internal static class WorkspaceApi
{
    public static IEndpointRouteBuilder MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/workspace", Get)
            .WithName("GetWorkspace")
            .WithTags("Workspaces")
            .WithSummary("The workspace of the key (either key), with its number of stored events");
        return app;
    }

    internal static Results<Ok<WorkspaceResponse>, ProblemHttpResult> Get(HttpContext context, WorkspaceDirectory directory) =>
        ApiKeyAuth.AuthenticateAny(context, directory, out var workspace, out var role) is { } denied
            ? denied
            : TypedResults.Ok(new WorkspaceResponse(workspace.Name, role == KeyRole.Write ? "write" : "read", workspace.Store.CountEvents()));
}
