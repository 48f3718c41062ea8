using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Core.Tests.Journeys;

public class ParallelJourneyBuilderTests
{
    [Theory]
    [InlineData(false, 30)]
    [InlineData(true, 7)]
    public void JourneysBuiltOnTwoThreadsEqualJourneysBuiltOnOne(bool resetOnConversion, int lookbackDays)
    {
        var writer = new StringWriter();
        EventGenerator.Write(writer, new GeneratorOptions { People = 3000, Seed = 3 });
        var builder = new EventTableBuilder();
        CsvEventReader.Read(new StringReader(writer.ToString()), builder);
        var table = builder.Build();
        var options = new JourneyOptions { ResetOnConversion = resetOnConversion, Lookback = TimeSpan.FromDays(lookbackDays) };

        var one = JourneyBuilder.Build(table, options, parallelFrom: int.MaxValue);
        var two = JourneyBuilder.Build(table, options, parallelFrom: 0);

        Assert.True(one.Conversions > 100);
        Assert.Equal(one.TouchTimes, two.TouchTimes);
        Assert.Equal(one.TouchChannels, two.TouchChannels);
        Assert.Equal(one.TouchCampaigns, two.TouchCampaigns);
        Assert.Equal(one.Start, two.Start);
        Assert.Equal(one.Length, two.Length);
        Assert.Equal(one.ConversionTimes, two.ConversionTimes);
        Assert.Equal(one.Values, two.Values);
        Assert.Equal(one.NullStart, two.NullStart);
        Assert.Equal(one.NullLength, two.NullLength);
    }
}
