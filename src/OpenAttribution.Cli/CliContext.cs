using Spectre.Console;

namespace OpenAttribution.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics and progress to <see cref="Error"/>.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive)
    {
        Out = output;
        Error = error;
        Interactive = interactive;
        Console = Create(output, interactive);
        ErrorConsole = Create(error, interactive);
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool Interactive { get; }

    /// <summary>Spectre console over <see cref="Out"/> for tables.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Spectre console over <see cref="Error"/> for progress bars.</summary>
    public IAnsiConsole ErrorConsole { get; }

    public static CliContext ForProcess()
    {
        var interactive = !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected;
        return new CliContext(System.Console.Out, System.Console.Error, interactive);
    }

    private static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
