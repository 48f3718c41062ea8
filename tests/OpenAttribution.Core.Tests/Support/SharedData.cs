using System.Globalization;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.Support;

/// <summary>
/// Finds the shared test data: the first <c>shared/data</c> folder holding <c>PathData.csv</c> in the
/// test binary's folder or one of its parents (<c>/work/shared/data</c> next to <c>/work/main</c>, or
/// a <c>shared</c> folder copied beside a CI clone).
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Folder = new(Locate);
    private static readonly Lazy<PathTable> PathDataTable = new(() => Load(Path.Combine(Folder.Value, "PathData.csv")));

    public static PathTable PathData => PathDataTable.Value;

    public static string File(string name) => Path.Combine(Folder.Value, name);

    public static PathTable Load(string file)
    {
        using var reader = new StreamReader(file);
        var result = PathTableReader.Read(reader);
        Assert.Empty(result.Errors);
        return result.Table;
    }

    /// <summary>Rows of a <c>channel,removal_effect,conversions,value</c> file.</summary>
    public static IReadOnlyList<ExpectedChannel> ReadExpected(string name)
    {
        var rows = new List<ExpectedChannel>();
        foreach (var line in System.IO.File.ReadLines(File(name)).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var f = line.Split(',');
            rows.Add(new ExpectedChannel(
                f[0],
                double.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.File.Exists(Path.Combine(candidate, "PathData.csv")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/data/PathData.csv in {AppContext.BaseDirectory} or any of its parents; copy the shared folder beside the repository.");
    }
}

internal sealed record ExpectedChannel(string Channel, double RemovalEffect, double Conversions, double Value);
