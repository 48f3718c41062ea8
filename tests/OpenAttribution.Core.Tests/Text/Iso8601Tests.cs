using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Tests.Text;

public class Iso8601Tests
{
    [Theory]
    [InlineData("2026-03-01T09:30:00Z", "2026-03-01T09:30:00.0000000Z")]
    [InlineData("2026-03-01T09:30Z", "2026-03-01T09:30:00.0000000Z")]
    [InlineData("2026-03-01 09:30:00z", "2026-03-01T09:30:00.0000000Z")]
    [InlineData("2026-03-01T09:30:00.123456Z", "2026-03-01T09:30:00.1234560Z")]
    [InlineData("2026-03-01T10:30:00+01:00", "2026-03-01T09:30:00.0000000Z")]
    [InlineData("2026-03-01T04:30:00-0500", "2026-03-01T09:30:00.0000000Z")]
    [InlineData("2026-03-01T00:30:00-09", "2026-03-01T09:30:00.0000000Z")]
    public void ParsesTimestampsWithAnOffsetToUtc(string text, string expected)
    {
        Assert.True(Iso8601.TryParseUtcTicks(text, out var ticks));
        Assert.Equal(expected, new DateTime(ticks, DateTimeKind.Utc).ToString("O"));
    }

    [Theory]
    [InlineData("2026-03-01T09:30:00")]
    [InlineData("2026-02-30T09:30:00Z")]
    [InlineData("2026-03-01T24:00:00Z")]
    [InlineData("01/03/2026 09:30")]
    [InlineData("2026-03-01T09:30:00Zjunk")]
    [InlineData("2026-03-01T09:30:00+25:00")]
    [InlineData("")]
    public void RejectsTimestampsWithoutOffsetOrOutOfRange(string text) =>
        Assert.False(Iso8601.TryParseUtcTicks(text, out _));
}
