using OpenAttribution.Core.Events;

namespace OpenAttribution.Core.Tests.Events;

public class JsonLinesEventReaderTests
{
    [Fact]
    public void ReadsObjectsWithNumbersAndNullsAndRejectsBadLines()
    {
        var text = string.Join("\n",
            """{"timestamp":"2026-03-01T09:30:00Z","anonymous_id":"a1","type":"touch","source":"google","medium":"cpc","extra":{"x":1}}""",
            """{"timestamp":"2026-03-01T10:30:00Z","anonymous_id":"a1","type":"conversion","conversion":"purchase","value":49.9,"channel":null}""",
            """{"timestamp":"2026-03-01T10:30:00Z","anonymous_id":"a1","type":"conversion","conversion":"purchase","value":"abc"}""",
            """not json""",
            "",
            """["an","array"]""",
            """{"timestamp":"2026-03-01T10:30:00Z","anonymous_id":{"nested":true},"type":"touch"}""");
        var builder = new EventTableBuilder();
        var summary = JsonLinesEventReader.Read(new StringReader(text), builder);
        var table = builder.Build();

        Assert.Equal(2, table.Count);
        Assert.Equal(49.9, table.Values[1]);
        Assert.Equal("Paid Search", table.Names.Channels[table.Channels[0]]);
        Assert.Equal(6, summary.Rows);
        Assert.Equal(4, summary.Rejected);
        Assert.Contains(builder.Errors, e => e.Line == 3 && e.Field == "value" && e.Value == "abc");
        Assert.Contains(builder.Errors, e => e.Line == 4 && e.Field == "(json)");
        Assert.Contains(builder.Errors, e => e.Line == 6 && e.Field == "(json)");
        Assert.Contains(builder.Errors, e => e.Line == 7 && e.Field == "anonymous_id");
    }
}
