using OpenAttribution.Core.Events;
using OpenAttribution.Core.Text;
using OpenAttribution.Core.Tests.Support;

namespace OpenAttribution.Core.Tests.Events;

public class CsvEventReaderTests
{
    [Fact]
    public void GoodRowsAreKeptAndEveryBadRowIsReportedWithLineFieldAndValue()
    {
        var builder = Some.Load(string.Join("\n",
            Some.Touch("2026-03-01T09:30:00Z", "u1", null, "Email"),
            ",not-a-time,u1,,touch,Email,,,,,,,,,",
            ",2026-03-01T09:30:00Z,u1,,visit,Email,,,,,,,,,",
            ",2026-03-01T09:30:00Z,,,touch,Email,,,,,,,,,",
            ",2026-03-01T09:30:00Z,u1,,conversion,,,,,,,,,purchase,\"12,5\"",
            ",2026-03-01T09:30:00,u1,,touch,Email,,,,,,,,,",
            ",,u1,,touch,Email,,,,,,,,,",
            Some.Conversion("2026-03-02T10:00:00+02:00", "u1", null, 19.5)));

        Assert.Equal(2, builder.Accepted);
        var errors = builder.Errors.Select(e => (e.Line, e.Field, e.Value)).ToList();
        Assert.Contains((3L, "timestamp", "not-a-time"), errors);
        Assert.Contains((4L, "type", "visit"), errors);
        Assert.Contains((5L, "user_id/anonymous_id", ""), errors);
        Assert.Contains((6L, "value", "12,5"), errors);
        Assert.Contains((7L, "timestamp", "2026-03-01T09:30:00"), errors);
        Assert.Contains((8L, "timestamp", ""), errors);
    }

    [Fact]
    public void SummaryCountsRowsValidAndRejected()
    {
        var builder = new EventTableBuilder();
        var summary = CsvEventReader.Read(new StringReader(Some.Header + "\n" +
            Some.Touch("2026-03-01T09:30:00Z", "u1", null, "Email") + "\n" +
            ",bad,u1,,touch,,,,,,,,,,\n"), builder);
        Assert.Equal(new ReadSummary(2, 1, 1), summary);
    }

    [Fact]
    public void QuotedFieldsWithSeparatorsQuotesAndLineBreaksAreRead()
    {
        var csv = "timestamp,user_id,type,campaign,source,medium\n" +
                  "2026-03-01T09:30:00Z,u1,touch,\"spring, \"\"big\"\" sale\",newsletter,email\n" +
                  "2026-03-01T09:31:00Z,u1,touch,\"two\nlines\",newsletter,email\n" +
                  "2026-03-01T09:32:00Z,u1,touch,plain,newsletter,email\n";
        var builder = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(csv), builder);
        var table = builder.Build();

        Assert.Empty(builder.Errors);
        Assert.Equal(3, table.Count);
        Assert.Equal("spring, \"big\" sale", table.Names.Campaigns[table.Campaigns[0]]);
        Assert.Equal("two\nlines", table.Names.Campaigns[table.Campaigns[1]]);
        Assert.Equal("plain", table.Names.Campaigns[table.Campaigns[2]]);
    }

    [Fact]
    public void ARowAfterAMultiLineRecordReportsItsOwnPhysicalLine()
    {
        var csv = "timestamp,user_id,type,campaign\n" +
                  "2026-03-01T09:30:00Z,u1,touch,\"a\nb\"\n" +
                  "oops,u1,touch,c\n";
        var builder = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(csv), builder);
        Assert.Equal(4, Assert.Single(builder.Errors).Line);
    }

    [Fact]
    public void UnknownColumnsAreIgnoredAndHeaderCaseDoesNotMatter()
    {
        var csv = "Timestamp,USER_ID,Type,Channel,favourite_colour\n2026-03-01T09:30:00Z,u1,touch,Email,blue\n";
        var builder = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(csv), builder);
        var table = builder.Build();
        Assert.Equal(1, table.Count);
        Assert.Equal("Email", table.Names.Channels[table.Channels[0]]);
    }

    [Fact]
    public void AHeaderWithoutRequiredColumnsIsAClearError()
    {
        var ex = Assert.Throws<FormatException>(() => CsvEventReader.Read(new StringReader("user_id,channel\nu1,Email\n"), new EventTableBuilder()));
        Assert.Contains("timestamp", ex.Message);
        Assert.Contains("type", ex.Message);
    }

    [Fact]
    public void TimestampsWithOffsetsAreStoredAsUtc()
    {
        var table = Some.Events(Some.Touch("2026-03-01T10:30:00+01:00", "u1", null, "Email"));
        Assert.Equal(new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc).Ticks, table.Timestamps[0]);
    }

    [Fact]
    public void AnEventIdSeenBeforeIsADuplicateAndIsNotCounted()
    {
        var builder = Some.Load(string.Join("\n",
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, 10, id: "e1"),
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, 10, id: "e1"),
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, 10, id: "e2")));
        Assert.Equal(2, builder.Accepted);
        Assert.Equal(1, builder.Duplicates);
    }

    [Fact]
    public void IdentifyNeedsBothIdsAndConversionNeedsAName()
    {
        var builder = Some.Load(string.Join("\n",
            ",2026-03-01T09:30:00Z,u1,,identify,,,,,,,,,,",
            ",2026-03-01T09:30:00Z,u1,,conversion,,,,,,,,,,5"));
        Assert.Equal(0, builder.Accepted);
        Assert.Contains(builder.Errors, e => e.Line == 2 && e.Field == "anonymous_id");
        Assert.Contains(builder.Errors, e => e.Line == 3 && e.Field == "conversion");
    }

    [Fact]
    public void AQuoteOpenedAndNeverClosedRejectsItsRowAndKeepsEveryRowAfterIt()
    {
        // The review's file: 1,161 rows, one campaign opening a quote at line 50 that never closes.
        // It used to read as "49 rows: 49 accepted", the 1,112 rows after it gone without a word.
        var rows = Enumerable.Range(0, 1161).Select(i =>
            $"e{i},2026-03-01T09:{i % 60:00}:00Z,u{i % 37},,touch,,google,cpc,{(i == 48 ? "\"Summer sale" : "spring")},,,,,,").ToList();
        var builder = new EventTableBuilder();
        var summary = CsvEventReader.Read(new StringReader(Some.Header + "\n" + string.Join("\n", rows) + "\n"), builder);

        Assert.Equal(new ReadSummary(1161, 1160, 1), summary);
        Assert.Equal(1160, builder.Accepted);
        var error = Assert.Single(builder.Errors);
        Assert.Equal(50, error.Line);
        Assert.Equal("campaign", error.Field);
        Assert.StartsWith("e48,", error.Value);
        Assert.Contains("not closed before line 51", error.Reason);
        Assert.DoesNotContain(builder.Build().Names.Campaigns.Names, name => name.Contains('\n'));
    }

    [Fact]
    public void AQuoteOpenedOnTheLastLineIsThatRowsRejection()
    {
        var builder = new EventTableBuilder();
        var summary = CsvEventReader.Read(new StringReader(Some.Header + "\n" +
            Some.Touch("2026-03-01T09:30:00Z", "u1", null, "Email") + "\n" +
            ",2026-03-01T09:31:00Z,u1,,touch,Email,,,\"never closed,,,,,,"), builder);

        Assert.Equal(new ReadSummary(2, 1, 1), summary);
        var error = Assert.Single(builder.Errors);
        Assert.Equal((3L, "campaign"), (error.Line, error.Field));
        Assert.Contains("never closed", error.Reason);
    }

    [Fact]
    public void AQuotedLineBreakInAFieldIsStillOneRow()
    {
        var builder = new EventTableBuilder();
        var summary = CsvEventReader.Read(new StringReader(Some.Header + "\n" +
            ",2026-03-01T09:31:00Z,u1,,touch,Email,,,\"two\nlines\",,,,,,\n" +
            Some.Touch("2026-03-01T09:32:00Z", "u1", null, "Email") + "\n"), builder);

        Assert.Equal(new ReadSummary(2, 2, 0), summary);
        Assert.Contains("two\nlines", builder.Build().Names.Campaigns.Names);
    }

    [Fact]
    public void ARejectionShowsAtMost200CharactersOfTheBadValue()
    {
        var huge = new string('9', 3_000_000);
        var builder = Some.Load($",{huge},u1,,touch,Email,,,,,,,,,");

        var error = Assert.Single(builder.Errors);
        Assert.Equal("timestamp", error.Field);
        Assert.Equal(InputError.MaxValueLength, error.Value.Length);
        Assert.EndsWith("999...", error.Value);
        Assert.True(error.ToString().Length < 400);
    }

    [Fact]
    public void ValuesTimestampsAndTextOutsideTheirBoundsAreRejectedNamingTheField()
    {
        var longCampaign = new string('c', EventValidator.MaxTextLength + 1);
        var fullUrl = "https://shop.example/?q=" + new string('u', EventValidator.MaxUrlLength - 24);
        var longUrl = fullUrl + "u";
        var builder = Some.Load(string.Join("\n",
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, 1e12),
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, -1e12),
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, 1.7976931348623157e308),
            Some.Conversion("2026-03-01T09:30:00Z", "u1", null, -1.000001e12),
            Some.Touch("0001-01-01T00:00:00Z", "u1", null, "Email"),
            Some.Touch("9999-12-31T23:59:59Z", "u1", null, "Email"),
            Some.Touch("1969-12-31T23:59:59Z", "u1", null, "Email"),
            Some.Touch("2199-12-31T23:59:59Z", "u1", null, "Email"),
            $",2026-03-01T09:30:00Z,u1,,touch,,google,cpc,{longCampaign},,,,,,",
            $",2026-03-01T09:30:00Z,u1,,touch,,,,{longCampaign[1..]},,,,{longUrl},,",
            $",2026-03-01T09:30:00Z,u1,,touch,,,,,,,,{fullUrl},,"));

        Assert.Equal(4, builder.Accepted);
        var errors = builder.Errors.Select(e => (e.Line, e.Field)).ToList();
        Assert.Equal([(4L, "value"), (5L, "value"), (6L, "timestamp"), (7L, "timestamp"), (8L, "timestamp"), (10L, "campaign"), (11L, "url")], errors);
        Assert.Contains("at most 1e12", builder.Errors[0].Reason);
        Assert.Contains("1970-01-01 to 2199-12-31", builder.Errors[2].Reason);
        Assert.Contains("too long: 1,025 characters, at most 1,024", builder.Errors[5].Reason);
        Assert.Equal(InputError.MaxValueLength, builder.Errors[5].Value.Length);
    }
}
