using BenchmarkDotNet.Running;

namespace OpenAttribution.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>stores --events FILE [--postgres URI]</c> runs the store harness (imports of millions of
    /// events do not fit BenchmarkDotNet's repeat-many-times model); anything else goes to BenchmarkDotNet.
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "stores")
        {
            StoreHarness.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
