using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.DataDriven;

/// <summary>Small path tables written inline: <c>("a > b", conversions, value, nulls)</c>.</summary>
internal static class Tables
{
    public static PathTable Of(params (string Path, double Conversions, double Value, double Nulls)[] rows)
    {
        var builder = new PathTableBuilder();
        foreach (var (path, conversions, value, nulls) in rows)
        {
            builder.Add(path.Split('>').Select(p => p.Trim()), conversions, value, nulls);
        }

        return builder.Build();
    }

    public static int ChannelId(this PathTable table, string channel)
    {
        var id = table.Channels.ToList().IndexOf(channel);
        Assert.True(id >= 0, $"no channel {channel}");
        return id;
    }

    public static void AssertClose(double expected, double actual, double relative, string what)
    {
        var scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(
            Math.Abs(expected - actual) <= relative * scale,
            $"{what}: expected {expected:R}, got {actual:R} (relative difference {Math.Abs(expected - actual) / scale:E2})");
    }
}
