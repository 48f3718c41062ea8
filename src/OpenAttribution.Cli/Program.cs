using System.CommandLine;
using OpenAttribution.Cli.Commands;

namespace OpenAttribution.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, CliContext.ForProcess());

    internal static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("OpenAttribution: marketing attribution from touchpoints and conversions")
        {
            ReportCommand.Create(context),
            CompareCommand.Create(context),
            PathsCommand.Create(context),
            MarkovCommand.Create(context),
            ImportCommand.Create(context),
            CostsCommand.Create(context),
            GenerateCommand.Create(context),
            DemoCommand.Create(context),
            SimulateCommand.Create(context),
            EvaluateCommand.Create(context),
            ServeCommand.Create(context),
            WorkspaceCommand.Create(context),
        };

        var parsed = root.Parse(args);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            context.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (IOException ex)
        {
            context.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException ex)
        {
            context.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }
}
