using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Journeys;

public class JourneyBuilderTests
{
    [Fact]
    public void TouchesExactlyOneLookbackBeforeAreOutsideAndJustInsideAreIn()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Display"),
            Some.Touch("2026-03-01T09:00:01Z", "u1", null, "Email"),
            Some.Conversion("2026-03-31T09:00:00Z", "u1", null, 1));

        Assert.Equal(["Email"], set.Path(0));
    }

    [Fact]
    public void ATouchAtTheConversionTimestampIsInItsPathEvenWhenListedAfterIt()
    {
        var set = Some.Journeys(
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1),
            Some.Touch("2026-03-02T09:00:00Z", "u1", null, "Email"),
            Some.Touch("2026-03-02T09:00:01Z", "u1", null, "Display"));

        Assert.Equal(["Email"], set.Path(0));
        Assert.Equal(["Display"], set.NullPath(0));
    }

    [Fact]
    public void SameSecondTouchesKeepInputOrder()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Display"),
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Referral"),
            Some.Touch("2026-03-01T08:00:00Z", "u1", null, "Affiliates"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1));

        Assert.Equal(["Affiliates", "Email", "Display", "Referral"], set.Path(0));
    }

    [Fact]
    public void ManySameSecondTouchesKeepInputOrder()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Some.Touch(i % 2 == 0 ? "2026-03-01T09:00:00Z" : "2026-03-01T08:00:00Z", "u1", null, $"C{i:000}")).ToList();
        rows.Add(Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1));
        var set = Some.Journeys(rows.ToArray());

        var expected = Enumerable.Range(0, 100).Where(i => i % 2 == 1).Concat(Enumerable.Range(0, 100).Where(i => i % 2 == 0)).Select(i => $"C{i:000}");
        Assert.Equal(expected, set.Path(0));
    }

    [Fact]
    public void ByDefaultATouchServesSeveralConversions()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1),
            Some.Touch("2026-03-03T09:00:00Z", "u1", null, "Display"),
            Some.Conversion("2026-03-04T09:00:00Z", "u1", null, 2));

        Assert.Equal(["Email"], set.Path(0));
        Assert.Equal(["Email", "Display"], set.Path(1));
        Assert.Empty(set.NullStart);
    }

    [Fact]
    public void ResetOnConversionStartsThePathAfterThePreviousConversion()
    {
        var set = Some.Journeys(
            new JourneyOptions { ResetOnConversion = true },
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Touch("2026-03-02T09:00:00Z", "u1", null, "Referral"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1),
            Some.Touch("2026-03-03T09:00:00Z", "u1", null, "Display"),
            Some.Conversion("2026-03-04T09:00:00Z", "u1", null, 2),
            Some.Conversion("2026-03-05T09:00:00Z", "u1", null, 3));

        Assert.Equal(["Email", "Referral"], set.Path(0));
        Assert.Equal(["Display"], set.Path(1));
        Assert.Empty(set.Path(2));
    }

    [Fact]
    public void TheConversionFilterKeepsOnlyNamedConversionsAndOthersDoNotReset()
    {
        var set = Some.Journeys(
            new JourneyOptions { ConversionName = "purchase", ResetOnConversion = true },
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 0, name: "signup"),
            Some.Touch("2026-03-03T09:00:00Z", "u1", null, "Display"),
            Some.Conversion("2026-03-04T09:00:00Z", "u1", null, 5));

        Assert.Equal(1, set.Conversions);
        Assert.Equal(["Email", "Display"], set.Path(0));
    }

    [Fact]
    public void AnUnknownConversionNameGivesNoConversions()
    {
        var set = Some.Journeys(
            new JourneyOptions { ConversionName = "nothing" },
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1));
        Assert.Equal(0, set.Conversions);
        Assert.Equal(["Email"], set.NullPath(0));
    }

    [Fact]
    public void AConversionWithNoTouchHasAnEmptyPath()
    {
        var set = Some.Journeys(Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 7));
        Assert.Equal(1, set.Conversions);
        Assert.Empty(set.Path(0));
        Assert.Equal(7, set.Values[0]);
    }

    [Fact]
    public void NullPathsAreTheTouchesAfterTheLastConversion()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1),
            Some.Touch("2026-03-03T09:00:00Z", "u1", null, "Display"),
            Some.Touch("2026-03-04T09:00:00Z", "u1", null, "Direct"),
            Some.Touch("2026-03-04T09:00:00Z", "u2", null, "Referral"));

        var nulls = Enumerable.Range(0, set.NullStart.Length).Select(n => string.Join(">", set.NullPath(n))).OrderBy(s => s).ToList();
        Assert.Equal(["Display>Direct", "Referral"], nulls);
    }

    [Fact]
    public void TheDateRangeSelectsConversionsButEarlierOnesStillReset()
    {
        var set = Some.Journeys(
            new JourneyOptions
            {
                ResetOnConversion = true,
                FromTicks = new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc).Ticks,
                ToTicks = new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc).Ticks,
            },
            Some.Touch("2026-03-01T09:00:00Z", "u1", null, "Email"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1),
            Some.Touch("2026-03-03T09:00:00Z", "u1", null, "Display"),
            Some.Conversion("2026-03-04T09:00:00Z", "u1", null, 2),
            Some.Conversion("2026-03-05T09:00:00Z", "u1", null, 3));

        Assert.Equal(1, set.Conversions);
        Assert.Equal(2, set.Values[0]);
        Assert.Equal(["Display"], set.Path(0));
    }

    [Fact]
    public void ALookbackOfOneDayUsesFractionalBoundaries()
    {
        var set = Some.Journeys(
            new JourneyOptions { Lookback = TimeSpan.FromHours(12) },
            Some.Touch("2026-03-01T20:59:59Z", "u1", null, "Email"),
            Some.Touch("2026-03-01T21:00:01Z", "u1", null, "Display"),
            Some.Conversion("2026-03-02T09:00:00Z", "u1", null, 1));
        Assert.Equal(["Display"], set.Path(0));
    }
}
