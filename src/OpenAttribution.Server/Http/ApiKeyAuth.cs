using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Http;

/// <summary>
/// Finds the workspace of a request's key: <c>Authorization: Bearer KEY</c>, or for sending events
/// also the <c>write_key</c> query parameter (the tracker's <c>sendBeacon</c> cannot set headers; a
/// write key is public by design, it can only add events). No key or an unknown key: 401. A key of
/// the wrong role: 403 (a write key cannot read reports; a read key cannot send events; only an admin
/// key replaces or deletes costs). An admin key may do everything.
/// </summary>
internal static class ApiKeyAuth
{
    public const string WriteKeyParameter = "write_key";

    public static ProblemHttpResult? Authenticate(HttpContext context, WorkspaceDirectory directory, KeyRole needed, out Workspace workspace)
    {
        workspace = null!;
        var key = BearerKey(context.Request);
        if (key is null && needed == KeyRole.Write && context.Request.Query.TryGetValue(WriteKeyParameter, out var query) && query.Count == 1)
        {
            key = query[0];
        }

        if (string.IsNullOrEmpty(key))
        {
            return Unauthorized(context, "No API key: send 'Authorization: Bearer KEY' with the workspace's " + (needed == KeyRole.Write ? "write key." : "read key."));
        }

        if (Find(context, directory, key, out var unavailable) is not { } found)
        {
            return unavailable ?? Unauthorized(context, "The API key is not valid.");
        }

        if (found.Role != needed && found.Role != KeyRole.Admin)
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Wrong key", needed switch
            {
                KeyRole.Read => "This is a write key: reports need the workspace's read key.",
                KeyRole.Write => "This is a read key: sending events needs the workspace's write key.",
                _ => "This request needs the workspace's admin key (oaa_…, from 'attribution workspace create' or 'attribution workspace admin-key'): the write key is public in every tracked page.",
            });
        }

        workspace = found.Workspace;
        return null;
    }

    /// <summary>Either key of a workspace, for requests any key may make.</summary>
    public static ProblemHttpResult? AuthenticateAny(HttpContext context, WorkspaceDirectory directory, out Workspace workspace, out KeyRole role)
    {
        workspace = null!;
        role = default;
        var key = BearerKey(context.Request);
        if (string.IsNullOrEmpty(key))
        {
            return Unauthorized(context, "No API key: send 'Authorization: Bearer KEY'.");
        }

        if (Find(context, directory, key, out var unavailable) is not { } found)
        {
            return unavailable ?? Unauthorized(context, "The API key is not valid.");
        }

        (workspace, role) = found;
        return null;
    }

    /// <summary>
    /// The workspace of <paramref name="key"/>; when its store cannot be opened, null and a 503 in
    /// <paramref name="unavailable"/> (the next request tries again).
    /// </summary>
    private static (Workspace Workspace, KeyRole Role)? Find(HttpContext context, WorkspaceDirectory directory, string key, out ProblemHttpResult? unavailable)
    {
        unavailable = null;
        try
        {
            return directory.Authenticate(key);
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or NotSupportedException or IOException or System.Data.Common.DbException)
        {
            context.Response.Headers.RetryAfter = "5";
            unavailable = Problems.Status(StatusCodes.Status503ServiceUnavailable, "Workspace unavailable",
                "The workspace's store cannot be opened: " + ex.Message + " Retry later.");
            return null;
        }
    }

    private static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : null;
    }

    private static ProblemHttpResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Problems.Status(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}
