using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Tests.Generation;

public class EventGeneratorTests
{
    private static string Generate(GeneratorOptions options)
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, options);
        return writer.ToString();
    }

    [Fact]
    public void TheSameSeedWritesTheSameFileAndAnotherSeedDoesNot()
    {
        var a = Generate(new GeneratorOptions { People = 300, Seed = 7 });
        Assert.Equal(a, Generate(new GeneratorOptions { People = 300, Seed = 7 }));
        Assert.NotEqual(a, Generate(new GeneratorOptions { People = 300, Seed = 8 }));
    }

    [Fact]
    public void GeneratedEventsAreAllValidAndCoverChannelsIdentityAndConversions()
    {
        var builder = new EventTableBuilder();
        var summary = CsvEventReader.Read(new StringReader(Generate(new GeneratorOptions { People = 3000 })), builder);
        Assert.Equal(0, summary.Rejected);
        Assert.Equal(0, builder.Duplicates);
        var table = builder.Build();
        Assert.Contains(EventType.Identify, table.Types);
        Assert.True(table.Names.ConversionNames.Count >= 3);
        foreach (var channel in new[] { "Direct", "Paid Search", "Organic Search", "Email", "Paid Social", "Organic Social", "Display", "Affiliates", "Referral", "SMS" })
        {
            Assert.True(table.Names.Channels.Find(channel) >= 0, $"no {channel} touch");
        }

        var set = JourneyBuilder.Build(table);
        Assert.InRange(set.Conversions, 300, 3000);
    }

    [Fact]
    public void JsonLinesOutputReadsBackToTheSameEvents()
    {
        var csv = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(Generate(new GeneratorOptions { People = 200 })), csv);
        var json = new EventTableBuilder();
        JsonLinesEventReader.Read(new StringReader(Generate(new GeneratorOptions { People = 200, JsonLines = true })), json);
        Assert.Empty(json.Errors);
        var a = csv.Build();
        var b = json.Build();
        Assert.Equal(a.Timestamps, b.Timestamps);
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Channels.Select(c => c < 0 ? null : a.Names.Channels[c]), b.Channels.Select(c => c < 0 ? null : b.Names.Channels[c]));
    }
}
