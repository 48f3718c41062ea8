using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Journeys;

public class IdentityTests
{
    [Fact]
    public void AnonymousTouchesBeforeAndAfterIdentifyBelongToTheUser()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", null, "a1", "Paid Search"),
            Some.Identify("2026-03-02T09:00:00Z", "u1", "a1"),
            Some.Touch("2026-03-03T09:00:00Z", null, "a1", "Email"),
            Some.Conversion("2026-03-04T09:00:00Z", "u1", null, 10));

        Assert.Equal(1, set.Conversions);
        Assert.Equal(["Paid Search", "Email"], set.Path(0));
    }

    [Fact]
    public void TheEarliestLinkWinsWhenAnAnonymousIdIsLinkedToSeveralUsers()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", null, "a1", "Display"),
            Some.Identify("2026-03-05T09:00:00Z", "u2", "a1"),
            Some.Identify("2026-03-02T09:00:00Z", "u1", "a1"),
            Some.Conversion("2026-03-06T09:00:00Z", "u1", null, 1),
            Some.Conversion("2026-03-06T09:00:00Z", "u2", null, 2));

        // u1 has the touch of a1; u2 has none (its conversion is credited to (none)).
        var byValue = Enumerable.Range(0, set.Conversions).ToDictionary(j => set.Values[j], j => set.Path(j));
        Assert.Equal(["Display"], byValue[1]);
        Assert.Empty(byValue[2]);
    }

    [Fact]
    public void LinksAtTheSameTimestampAreDecidedByInputOrder()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", null, "a1", "Display"),
            Some.Identify("2026-03-02T09:00:00Z", "u2", "a1"),
            Some.Identify("2026-03-02T09:00:00Z", "u1", "a1"),
            Some.Conversion("2026-03-06T09:00:00Z", "u1", null, 1),
            Some.Conversion("2026-03-06T09:00:00Z", "u2", null, 2));

        var byValue = Enumerable.Range(0, set.Conversions).ToDictionary(j => set.Values[j], j => set.Path(j));
        Assert.Equal(["Display"], byValue[2]);
        Assert.Empty(byValue[1]);
    }

    [Fact]
    public void AnEventWithAUserIdAlwaysBelongsToThatUserEvenIfItsAnonymousIdIsLinkedElsewhere()
    {
        var set = Some.Journeys(
            Some.Identify("2026-03-01T09:00:00Z", "u1", "a1"),
            Some.Touch("2026-03-02T09:00:00Z", "u2", "a1", "Email"),
            Some.Conversion("2026-03-03T09:00:00Z", "u2", null, 1),
            Some.Conversion("2026-03-03T09:00:00Z", "u1", null, 2));

        var byValue = Enumerable.Range(0, set.Conversions).ToDictionary(j => set.Values[j], j => set.Path(j));
        Assert.Equal(["Email"], byValue[1]);
        Assert.Empty(byValue[2]);
    }

    [Fact]
    public void AnUnlinkedAnonymousIdIsAPersonOfItsOwn()
    {
        var set = Some.Journeys(
            Some.Touch("2026-03-01T09:00:00Z", null, "a1", "Email"),
            Some.Touch("2026-03-01T09:00:00Z", null, "a2", "Display"),
            Some.Conversion("2026-03-02T09:00:00Z", null, "a2", 1));

        Assert.Equal(["Display"], set.Path(0));
        Assert.Equal(["Email"], set.NullPath(0));
    }
}
