using System.Globalization;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.Support;

/// <summary>
/// The repository's test data: the <c>data</c> folder beside <c>OpenAttribution.slnx</c>, found from the
/// test binary's folder upwards.
/// </summary>
internal static class TestData
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
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "OpenAttribution.slnx")))
            {
                return Path.Combine(dir.FullName, "data");
            }
        }

        throw new DirectoryNotFoundException(
            $"No OpenAttribution.slnx in {AppContext.BaseDirectory} or any of its parents: the tests run from inside the repository.");
    }
}

internal sealed record ExpectedChannel(string Channel, double RemovalEffect, double Conversions, double Value);
