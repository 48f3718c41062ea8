using BenchmarkDotNet.Running;

namespace OpenAttribution.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>stores --events FILE [--postgres URI] [--clickhouse URI]... [--skip-duckdb] [--import-only [--twice]]</c> runs the store
    /// harness (imports of millions of events do not fit BenchmarkDotNet's repeat-many-times model);
    /// <c>small-imports</c> times many small imports one after another (<see cref="SmallImports"/>);
    /// <c>ingest --url URL --key KEY</c> loads a running server's <c>POST /v1/events</c>; <c>live prepare|run|apply</c>
    /// measures reports while events arrive (<see cref="LiveReports"/>); <c>path-read</c> times reading a
    /// path table against a plain baseline (<see cref="PathTableReading"/>); <c>markov-scale</c> times Markov
    /// over hundreds of channels against an independent solve (<see cref="MarkovScale"/>); <c>file-path</c> times
    /// <c>compare --events</c> against a DuckDB SQL baseline (<see cref="FilePathHarness"/>); anything else
    /// goes to BenchmarkDotNet.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ingest")
        {
            return IngestLoad.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "stores")
        {
            StoreHarness.Run(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "live")
        {
            return LiveReports.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "path-read")
        {
            return PathTableReading.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "markov-scale")
        {
            return MarkovScale.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "file-path")
        {
            return FilePathHarness.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "small-imports")
        {
            SmallImports.Run(args[1..]);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
