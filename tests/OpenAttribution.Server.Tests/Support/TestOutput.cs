namespace OpenAttribution.Server.Tests.Support;

/// <summary>Where tests leave files for people to look at: TestResults/ at the repository root.</summary>
internal static class TestOutput
{
    public static string Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenAttribution.slnx")))
            {
                var folder = Path.Combine(dir.FullName, "TestResults", name);
                Directory.CreateDirectory(folder);
                return folder;
            }
        }

        var fallback = Path.Combine(AppContext.BaseDirectory, "TestResults", name);
        Directory.CreateDirectory(fallback);
        return fallback;
    }
}
