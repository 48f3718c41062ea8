namespace OpenAttribution.Benchmarks;

/// <summary>The harnesses' command lines: <c>--name value</c> pairs.</summary>
internal static class HarnessOptions
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        return options;
    }
}
