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
    public void EvaluatingAgainstATruthWithNothingAssignedIsTheUsersError()
    {
        var truth = CliRunner.TempFile("t.csv", "channel,incremental_conversions\nPaid Search,0\n");
        var events = CliRunner.TempFile("e.csv", "event_id,timestamp,user_id,anonymous_id,type,channel,conversion,value\ne1,2026-03-01T09:00:00Z,u1,,touch,Email,,\n");
        var r = CliRunner.Run("evaluate", "--events", events, "--truth", truth);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nothing to compare against", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsFromAPipeAreReadAsTheyStream()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var dir = Path.GetDirectoryName(CliRunner.TempFile("x", ""))!;
        var fifo = Path.Combine(dir, "events.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        var writer = Task.Run(() => File.WriteAllText(fifo,
            "event_id,timestamp,user_id,anonymous_id,type,channel,conversion,value\n"
            + "e1,2026-03-01T09:00:00Z,u1,,touch,Email,,\ne2,2026-03-02T09:00:00Z,u1,,conversion,,buy,10\n"));
        var r = CliRunner.Run("report", "--events", fifo, "--model", "last-touch", "--format", "csv");
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Email,1,10", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArgumentCheckFailingInsideTheProgramIsNotTheUsersError()
    {
        var fault = Assert.Throws<ArgumentOutOfRangeException>(() => ReportCommand.Run<int>(() => throw new ArgumentOutOfRangeException("index")));
        Assert.Equal("index", fault.ParamName);
        Assert.Throws<ArgumentException>(() => ReportCommand.Run<int>(() => throw new ArgumentException("The batch's names must begin with the names of the batches so far.")));
    }
}
