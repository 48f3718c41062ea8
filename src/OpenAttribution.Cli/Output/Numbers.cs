using System.Globalization;

namespace OpenAttribution.Cli.Output;

/// <summary>Number formats: machines get invariant round-trip text; people get grouped decimals.</summary>
internal static class Numbers
{
    public static string Machine(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public static string Human(double x) => x.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Percent(double? x) => x is { } v ? v.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Share(double part, double total) =>
        total == 0 ? "-" : (part / total * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
