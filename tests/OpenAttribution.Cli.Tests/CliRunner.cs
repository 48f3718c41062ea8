namespace OpenAttribution.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, new CliContext(output, error, interactive: false));
        return new Result(code, output.ToString(), error.ToString());
    }

    public static string TempFile(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "oa-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A file of the repository's <c>data</c> folder (beside <c>OpenAttribution.slnx</c>).</summary>
    public static string TestData(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenAttribution.slnx")))
            {
                return Path.Combine(dir.FullName, "data", file);
            }
        }

        throw new FileNotFoundException($"No OpenAttribution.slnx above {AppContext.BaseDirectory}: the tests run from inside the repository.");
    }
}
