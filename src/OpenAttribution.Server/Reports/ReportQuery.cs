using System.Globalization;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;

namespace OpenAttribution.Server.Reports;

/// <summary>
/// The query string of a report, read with the CLI's option parser (spec section 7 names: model,
/// models, by, lookback, conversion, from, to, half-life, position, order, reset-on-conversion, top,
/// roi). An unknown, repeated or bad parameter throws an <see cref="OptionException"/> naming it.
/// </summary>
internal sealed class ReportQuery
{
    public static readonly string[] JourneyParameters = ["by", "lookback", "conversion", "reset-on-conversion", "from", "to"];

    public static readonly string[] ModelParameters = ["half-life", "position", "order"];

    private readonly IQueryCollection _query;

    public ReportQuery(IQueryCollection query, IReadOnlyCollection<string> allowed)
    {
        _query = query;
        foreach (var (name, values) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new OptionException(name, values.ToString(), $"unknown parameter; this report takes {string.Join(", ", allowed)}");
            }

            if (values.Count > 1)
            {
                throw new OptionException(name, values.ToString(), "given more than once");
            }
        }
    }

    public string? Text(string name) => _query.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { Length: > 0 } s ? s : null;

    public bool Flag(string name) => Text(name)?.ToLowerInvariant() switch
    {
        null or "false" or "0" => false,
        "true" or "1" => true,
        var other => throw new OptionException(name, other, "use true or false"),
    };

    public int Integer(string name, int fallback) => Text(name) is not { } text
        ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new OptionException(name, text, "not a whole number");

    public Dimension Dimension() => ReportOptionParser.Dimension(Text("by"));

    public JourneyOptions Journeys() =>
        ReportOptionParser.Journeys(Text("lookback"), Text("conversion"), Flag("reset-on-conversion"), Text("from"), Text("to"));

    public DateOnly? Day(string name) => ReportOptionParser.Day(Text(name), name);

    public ModelSpec Model(string name, string option)
    {
        var spec = ReportOptionParser.Model(name, Text("half-life"), Text("position"), Integer("order", 1), option);
        return spec.Kind == ModelKind.Custom
            ? throw new OptionException(option, name, "a custom model needs a rules file, which the HTTP API does not take; use the CLI's --custom-rules")
            : spec;
    }
}
