using OpenAttribution.Cli.Commands;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Cli.Tests;

/// <summary>
/// Which failures of a report the CLI shows as the user's error: a model's refusal of its input, not
/// any argument check that fails inside the program (that is a fault, and is not dressed up as input).
/// </summary>
public class UserErrorTests
{
    [Fact]
    public void AModelsRefusalOfItsInputIsTheUsersError()
    {
        var error = Assert.Throws<CliException>(() => ReportCommand.Run<int>(() => throw new ModelInputException("time-decay needs touch timestamps")));
        Assert.Equal("time-decay needs touch timestamps", error.Message);
    }

    [Fact]
    public void AnArgumentCheckFailingInsideTheProgramIsNotTheUsersError()
    {
        var fault = Assert.Throws<ArgumentOutOfRangeException>(() => ReportCommand.Run<int>(() => throw new ArgumentOutOfRangeException("index")));
        Assert.Equal("index", fault.ParamName);
        Assert.Throws<ArgumentException>(() => ReportCommand.Run<int>(() => throw new ArgumentException("The batch's names must begin with the names of the batches so far.")));
    }
}
