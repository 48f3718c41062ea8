namespace OpenAttribution.Server.Tests.Support;

/// <summary>
/// A browser test: runs with Debian's chromium at /usr/bin/chromium (installed by .ci/run). Without
/// it the test is skipped, unless OA_REQUIRE_BROWSER=1 (CI), where it then fails.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable) && Environment.GetEnvironmentVariable("OA_REQUIRE_BROWSER") != "1")
        {
            Skip = $"{Executable} is not installed (apt-get install -y chromium); set OA_REQUIRE_BROWSER=1 to fail instead.";
        }
    }
}
