using System.Globalization;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Options;

/// <summary>
/// Turns the text of the report options (spec section 7: by, lookback, conversion, from, to,
/// half-life, position, order, models) into journeys' and models' options. Shared by the CLI and the
/// HTTP API; a bad value throws an <see cref="OptionException"/> naming the option and the value.
/// </summary>
public static class ReportOptionParser
{
    public const string DefaultModels = "last-touch,first-touch,last-non-direct,linear,time-decay,position-based";

    public static Dimension Dimension(string? text) => text?.ToLowerInvariant() switch
    {
        "channel" or null => OpenAttribution.Core.Journeys.Dimension.Channel,
        "source" => OpenAttribution.Core.Journeys.Dimension.Source,
        "medium" => OpenAttribution.Core.Journeys.Dimension.Medium,
        "campaign" => OpenAttribution.Core.Journeys.Dimension.Campaign,
        _ => throw new OptionException("by", text ?? string.Empty, "use channel, source, medium or campaign"),
    };

    public static JourneyOptions Journeys(string? lookback, string? conversion, bool resetOnConversion, string? from, string? to)
    {
        var lookbackText = lookback ?? "30d";
        if (!DurationParser.TryParse(lookbackText, out var window))
        {
            throw new OptionException("lookback", lookbackText, "not a duration; use e.g. 30d, 7d or 12h");
        }

        var (fromDate, toDate) = Range(from, to);
        return new JourneyOptions
        {
            Lookback = window,
            ConversionName = conversion,
            ResetOnConversion = resetOnConversion,
            FromTicks = fromDate?.Ticks,
            ToTicks = toDate?.AddDays(1).Ticks,
        };
    }

    /// <summary>The dates <c>from</c> and <c>to</c> (each optional, both included); <c>to</c> before <c>from</c> is an error naming <c>to</c>.</summary>
    public static (DateTime? From, DateTime? To) Range(string? from, string? to)
    {
        var fromDate = Date(from, "from");
        var toDate = Date(to, "to");
        return fromDate > toDate
            ? throw new OptionException("to", to!, $"is before from '{from}'; a range runs from its first day to its last, both included")
            : (fromDate, toDate);
    }

    /// <summary>
    /// A <c>yyyy-MM-dd</c> date (UTC midnight) within the years events may have (1970 to 2199), or
    /// null when <paramref name="text"/> is null.
    /// </summary>
    public static DateTime? Date(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
        {
            throw new OptionException(option, text, "not a date; use yyyy-MM-dd");
        }

        return d.Year is >= 1970 and < 2200
            ? d
            : throw new OptionException(option, text, "out of range; use a date from 1970-01-01 to 2199-12-31");
    }

    /// <summary>A <c>yyyy-MM-dd</c> day (as the ROI report's cost dates), or null when <paramref name="text"/> is null.</summary>
    public static DateOnly? Day(string? text, string option) => Date(text, option) is { } d ? DateOnly.FromDateTime(d) : null;

    /// <summary>
    /// A model by name (<c>markov-3</c> names the order too) with its options. A custom model comes
    /// back as <see cref="ModelKind.Custom"/> with no rules: its rules come from a file the caller reads.
    /// </summary>
    public static ModelSpec Model(string name, string? halfLife, string? position, int order, string option = "model")
    {
        int? namedOrder = null;
        if (name.StartsWith("markov-", StringComparison.OrdinalIgnoreCase) && int.TryParse(name.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var k))
        {
            namedOrder = k;
            name = "markov";
        }

        if (!ModelNames.TryParse(name, out var kind))
        {
            throw new OptionException(option, name, $"unknown model; valid models: {string.Join(", ", ModelNames.CliNames)}");
        }

        var halfText = halfLife ?? "7d";
        if (!DurationParser.TryParse(halfText, out var half))
        {
            throw new OptionException("half-life", halfText, "not a duration; use e.g. 7d");
        }

        var positionText = position ?? "0.4,0.4";
        if (!PositionParser.TryParse(positionText, out var first, out var last))
        {
            throw new OptionException("position", positionText, "expected first,last shares between 0 and 1 with a sum of at most 1, e.g. 0.4,0.4");
        }

        var effective = namedOrder ?? order;
        if (effective is < 1 or > 12)
        {
            throw new OptionException("order", effective.ToString(CultureInfo.InvariantCulture), "must be between 1 and 12");
        }

        return new ModelSpec(kind) { HalfLife = half, FirstShare = first, LastShare = last, Order = effective };
    }

    /// <summary>Comma-separated model names, each made by <paramref name="model"/>; none named twice.</summary>
    public static IReadOnlyList<ModelSpec> Models(string text, Func<string, ModelSpec> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new OptionException("models", text, "name at least one model");
        }

        var specs = names.Select(model).ToList();
        var duplicate = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? specs : throw new OptionException("models", text, $"'{duplicate.Key}' is named twice");
    }
}
