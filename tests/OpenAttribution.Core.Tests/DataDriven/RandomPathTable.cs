using FsCheck;
using FsCheck.Fluent;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.DataDriven;

/// <summary>
/// A random path table for properties: up to 8 channels, short paths, integer and fractional totals;
/// about one path in nine nets to a refund (a negative value).
/// </summary>
public sealed record RandomPathTable(int ChannelCount, IReadOnlyList<RandomPathRow> Rows)
{
    public PathTable Build()
    {
        var builder = new PathTableBuilder();
        for (var c = 0; c < ChannelCount; c++)
        {
            builder.Channels.Intern($"ch{c}");
        }

        foreach (var row in Rows)
        {
            builder.Add(row.Path, row.Conversions, row.Value, row.Nulls);
        }

        return builder.Build();
    }

    public override string ToString() =>
        $"{ChannelCount} channels: " + string.Join("; ", Rows.Select(r => $"{string.Join(">", r.Path)} {r.Conversions}/{r.Value}/{r.Nulls}"));
}

public sealed record RandomPathRow(int[] Path, double Conversions, double Value, double Nulls);

public static class RandomPathTables
{
    public static Arbitrary<RandomPathTable> Tables() =>
        (from channels in Gen.Choose(1, 8)
         from rows in Gen.ListOf(Row(channels))
         select new RandomPathTable(channels, rows.ToList())).ToArbitrary();

    private static Gen<RandomPathRow> Row(int channels) =>
        from length in Gen.Frequency((6, Gen.Choose(1, 4)), (2, Gen.Choose(5, 12)), (1, Gen.Choose(13, 60)))
        from repeat in Gen.Choose(0, 3)
        from path in Gen.ArrayOf(Gen.Choose(0, channels - 1), length)
        from conversions in Gen.Frequency((3, Gen.Constant(0.0)), (5, Gen.Choose(1, 6).Select(x => (double)x)), (1, Gen.Choose(1, 40).Select(x => x / 8.0)))
        from meanValue in Gen.Frequency((8, Gen.Choose(0, 2000)), (1, Gen.Choose(-3000, -1)))
        from nulls in Gen.Frequency((2, Gen.Constant(0.0)), (5, Gen.Choose(1, 20).Select(x => (double)x)))
        select new RandomPathRow(repeat == 0 ? Repeated(path) : path, conversions, conversions * meanValue / 10.0, nulls);

    /// <summary>Some paths stutter: each touch repeated, to exercise self-loops and (c,c,...) states.</summary>
    private static int[] Repeated(int[] path) => [.. path.SelectMany(c => new[] { c, c })];
}

/// <summary>
/// Tables over 9 to 30 channels with short paths: the Gauss-Seidel solver then runs several batches of
/// removals (eight lanes each, the last one partial), which the tables above (at most 8 channels) do not.
/// </summary>
public static class ManyChannelPathTables
{
    public static Arbitrary<RandomPathTable> Tables() =>
        (from channels in Gen.Choose(9, 30)
         from rows in Gen.ListOf(Row(channels))
         select new RandomPathTable(channels, rows.ToList())).ToArbitrary();

    private static Gen<RandomPathRow> Row(int channels) =>
        from length in Gen.Choose(1, 6)
        from path in Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 3)), (2, Gen.Choose(0, channels - 1))), length)
        from conversions in Gen.Frequency((3, Gen.Constant(0.0)), (5, Gen.Choose(1, 6).Select(x => (double)x)))
        from value in Gen.Choose(0, 500)
        from nulls in Gen.Frequency((2, Gen.Constant(0.0)), (5, Gen.Choose(1, 20).Select(x => (double)x)))
        select new RandomPathRow(path, conversions, conversions * value, nulls);
}
