using OpenAttribution.Core.Simulation;

namespace OpenAttribution.Core.Tests.Simulation;

public class GroundTruthFileTests
{
    [Fact]
    public void TheTruthFileRoundTripsAndItsRowsSumToTheConversions()
    {
        var truth = new GroundTruth(10, 2, [new ChannelTruth("Email", 5), new ChannelTruth("Paid, Social", 1)]);
        var writer = new StringWriter();
        GroundTruthFile.Write(writer, truth);
        Assert.Equal(
            """
            channel,incremental_conversions,true_share
            Email,5,0.625
            "Paid, Social",1,0.125
            (none),2,0.25
            (overdetermined),2,

            """.ReplaceLineEndings(),
            writer.ToString());
        var read = GroundTruthFile.Read(new StringReader(writer.ToString()));
        Assert.Equal(truth.Conversions, read.Conversions);
        Assert.Equal(truth.Rows(), read.Rows());
    }

    [Fact]
    public void BadRowsAreAllReportedWithLineAndValue()
    {
        var ex = Assert.Throws<FormatException>(() => GroundTruthFile.Read(new StringReader("channel,incremental_conversions\nEmail,many\nEmail,3\n,2\nEmail,4\n")));
        Assert.Contains("line 2: incremental_conversions 'many' of Email", ex.Message);
        Assert.Contains("line 4: channel is empty", ex.Message);
        Assert.Contains("line 5: channel 'Email' appears twice", ex.Message);
    }

    [Fact]
    public void AFileWithoutTheColumnsIsRefused()
    {
        var ex = Assert.Throws<FormatException>(() => GroundTruthFile.Read(new StringReader("path,total_conversions\na,1\n")));
        Assert.Contains("must name the columns channel and incremental_conversions", ex.Message);
    }
}
