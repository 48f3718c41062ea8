using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenAttribution.Server.Http;

/// <summary>The problem-details answers of the API (RFC 9457).</summary>
internal static class Problems
{
    /// <summary>400 naming the bad field (a query parameter, or <c>body</c>) and why.</summary>
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: $"Invalid {field}");

    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
