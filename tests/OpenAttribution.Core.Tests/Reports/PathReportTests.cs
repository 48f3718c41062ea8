using OpenAttribution.Core.Models;
using OpenAttribution.Core.Reports;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Reports;

public class PathReportTests
{
    private static readonly OpenAttribution.Core.Journeys.JourneySet Set = Some.Journeys(
        Some.Touch("2026-03-01T00:00:00Z", "u1", null, "Email"),
        Some.Touch("2026-03-02T00:00:00Z", "u1", null, "Email"),
        Some.Touch("2026-03-03T00:00:00Z", "u1", null, "Display"),
        Some.Conversion("2026-03-04T12:00:00Z", "u1", null, 10),
        Some.Touch("2026-03-01T00:00:00Z", "u2", null, "Display"),
        Some.Conversion("2026-03-01T01:00:00Z", "u2", null, 20),
        Some.Touch("2026-02-01T00:00:00Z", "u3", null, "Display"),
        Some.Conversion("2026-02-20T00:00:00Z", "u3", null, 5),
        Some.Conversion("2026-03-01T00:00:00Z", "u4", null, 1));

    [Fact]
    public void TopPathsAreCountedAndSortedByConversionsThenPath()
    {
        var report = PathReport.Build(Set, top: 2);
        Assert.Equal(
            [new PathRow("Display", 1, 2, 25), new PathRow("(none)", 0, 1, 1)],
            report.TopPaths);
        Assert.Equal(3, report.DistinctPaths);
    }

    [Fact]
    public void PathLengthAndTimeLagDistributionsAddUpToAllConversions()
    {
        var report = PathReport.Build(Set);
        Assert.Equal([("0", 1.0), ("1", 2.0), ("3", 1.0)], report.PathLengths.Select(r => (r.Bucket, r.Conversions)));
        Assert.Equal([("0", 1.0), ("3", 1.0), ("12-30", 1.0)], report.TimeLags.Select(r => (r.Bucket, r.Conversions)));
    }

    [Fact]
    public void AssistsCountEachConversionOncePerChannelBeforeTheLastTouch()
    {
        var report = PathReport.Build(Set);
        var email = report.Assists.Single(a => a.Key == "Email");
        Assert.Equal((0.0, 1.0, 10.0), (email.LastTouchConversions, email.AssistedConversions, email.AssistedValue));
        var display = report.Assists.Single(a => a.Key == "Display");
        Assert.Equal((3.0, 0.0), (display.LastTouchConversions, display.AssistedConversions));
    }

    [Fact]
    public void TheComparisonShowsEachModelsChangeAgainstTheFirst()
    {
        var results = AttributionEngine.Run(Set, [ModelSpec.Of(ModelKind.LastTouch), ModelSpec.Of(ModelKind.FirstTouch)]);
        var comparison = new ModelComparison(results);
        var display = comparison.Rows.Single(r => r.Key == "Display");
        Assert.Equal([3.0, 2.0], display.Conversions);
        Assert.Equal(-100.0 / 3, display.ChangePercent(1)!.Value, 9);
        var email = comparison.Rows.Single(r => r.Key == "Email");
        Assert.Null(email.ChangePercent(1));
        Assert.Equal(["Display", "(none)", "Email"], comparison.Rows.Select(r => r.Key));
    }
}
