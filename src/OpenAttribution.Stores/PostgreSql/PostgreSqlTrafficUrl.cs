namespace OpenAttribution.Stores.PostgreSql;

/// <summary>
/// <see cref="Core.Channels.TrafficUrl.Reduce"/> as a PostgreSQL expression: the URL up to the end of
/// its host, then its query from the first <c>?</c>; unchanged without <c>://</c> or with a <c>?</c>
/// before it. Positions come from <c>strpos</c> (the delimiters are ASCII, so character positions
/// split a URL where .NET's UTF-16 positions do). No regular expression: PostgreSQL's non-greedy
/// quantifiers change the greediness of the whole pattern, and its regex engine is slower than these
/// string functions. As the head holds no <c>?</c>, the query starts at the URL's first <c>?</c>.
/// </summary>
internal static class PostgreSqlTrafficUrl
{
    /// <summary>The expression for the URL in <paramref name="column"/> (a column name or any text expression without side effects).</summary>
    public static string Reduce(string column)
    {
        var scheme = $"strpos({column}, '://')";
        var question = $"strpos({column}, '?')";
        // Position, after "://", of the first '/', '?' or '#' (0 when none): the end of the host.
        var hostEnd = $"strpos(translate(substr({column}, {scheme} + 3), '?#', '//'), '/')";
        return $"""
            (CASE WHEN {scheme} = 0 OR ({question} > 0 AND {question} < {scheme}) OR {hostEnd} = 0 THEN {column}
                  ELSE left({column}, {scheme} + 1 + {hostEnd}) || CASE WHEN {question} > 0 THEN substr({column}, {question}) ELSE '' END
             END)
            """;
    }
}
