using BenchmarkDotNet.Attributes;
using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Paths;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// Exact data-driven models on synthetic path tables (see <see cref="DataDrivenPathTables"/>):
/// 1M journeys over 12 channels (Markov orders 1-3, Shapley), and 500 channels (500 removals).
/// The tables are built once; each benchmark is a whole model run on the table (chain, solves, credits).
/// </summary>
[MemoryDiagnoser]
public class DataDrivenBenchmarks
{
    private PathTable _journeys1M = null!;
    private PathTable _channels500 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _journeys1M = DataDrivenPathTables.Journeys1M();
        _channels500 = DataDrivenPathTables.Channels500();
    }

    [Benchmark(Baseline = true, Description = "Markov order 1, 1M journeys, 12 channels")]
    public MarkovResult MarkovOrder1() => MarkovModel.Compute(_journeys1M, 1);

    [Benchmark(Description = "Markov order 2, 1M journeys, 12 channels")]
    public MarkovResult MarkovOrder2() => MarkovModel.Compute(_journeys1M, 2);

    [Benchmark(Description = "Markov order 3, 1M journeys, 12 channels")]
    public MarkovResult MarkovOrder3() => MarkovModel.Compute(_journeys1M, 3);

    [Benchmark(Description = "Shapley, 1M journeys, 12 channels")]
    public ShapleyResult Shapley() => ShapleyModel.Compute(_journeys1M);

    [Benchmark(Description = "Markov order 1, 500 channels")]
    public MarkovResult MarkovOrder1Channels500() => MarkovModel.Compute(_channels500, 1);

    [Benchmark(Description = "Shapley, 500 channels")]
    public ShapleyResult ShapleyChannels500() => ShapleyModel.Compute(_channels500);
}
