using System.Collections.Frozen;
using System.Net;
using System.Text;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Web;

/// <summary>
/// The dashboard (<c>/</c>), the tracker (<c>/t.js</c>) and the example landing page
/// (<c>/example</c>): files embedded in the assembly, served with a strict Content-Security-Policy
/// (scripts only from this server, no inline script) as a second line of defence against injected
/// markup; the dashboard itself only ever writes user data as text. Scripts and styles carry an ETag
/// (a hash of their bytes) and answer 304 to a matching If-None-Match; the tracker, loaded by every
/// tracked page, may be cached for an hour (<c>public, max-age=3600</c>), the dashboard's files are
/// revalidated on each load (<c>no-cache</c>) so an upgrade shows at once.
/// </summary>
internal static class WebAssets
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    /// <summary>The example page's text, decoded once; each request only fills in its write key.</summary>
    private static readonly string ExampleHtml = Encoding.UTF8.GetString(Files["example.html"]);

    public static IEndpointRouteBuilder MapWebAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Page("index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard.js", () => File("dashboard.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/dashboard.css", () => File("dashboard.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/charts.js", () => File("charts.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/t.js", () => File("t.js", "text/javascript; charset=utf-8", TrackerCaching)).ExcludeFromDescription();
        app.MapGet("/example", (string? write_key) => Example(write_key)).ExcludeFromDescription();
        app.MapGet("/example.js", () => File("example.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    /// <summary>How long a browser or CDN may keep the tracker without asking again.</summary>
    public const string TrackerCaching = "public, max-age=3600";

    private static readonly FrozenDictionary<string, string> ETags = Files.ToFrozenDictionary(
        f => f.Key,
        f => "\"" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(f.Value).AsSpan(0, 12)) + "\"",
        StringComparer.Ordinal);

    private static IResult File(string name, string contentType, string caching = "no-cache") => new Asset(Files[name], ETags[name], contentType, caching);

    private static IResult Page(string name) => new HtmlPage(Files[name]);

    /// <summary>
    /// The example landing page with the write key of <c>?write_key=</c> in its tracker snippet (only
    /// a well-formed write key is written into the page).
    /// </summary>
    private static IResult Example(string? writeKey)
    {
        var key = writeKey is not null && WorkspaceKeys.LooksLikeWriteKey(writeKey) ? writeKey : string.Empty;
        var html = ExampleHtml.Replace("{{write_key}}", WebUtility.HtmlEncode(key), StringComparison.Ordinal);
        return new HtmlPage(Encoding.UTF8.GetBytes(html));
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        const string Prefix = "wwwroot/";
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..]] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed class Asset(byte[] content, string etag, string contentType, string caching) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.CacheControl = caching;
            headers.ETag = etag;
            headers.XContentTypeOptions = "nosniff";
            if (httpContext.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
            {
                httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = content.Length;
            return httpContext.Response.Body.WriteAsync(content).AsTask();
        }
    }

    private sealed class HtmlPage(byte[] content) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            return httpContext.Response.Body.WriteAsync(content).AsTask();
        }
    }
}
