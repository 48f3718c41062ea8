using BenchmarkDotNet.Attributes;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// The six rule-based models over 10 million touches held in memory: the columnar one-pass engine
/// against a straightforward object-per-touch implementation (the baseline).
/// </summary>
[MemoryDiagnoser]
public class RuleBasedModelsBenchmarks
{
    private JourneySet _set = null!;
    private List<NaiveJourney> _naive = null!;
    private IReadOnlyList<ModelSpec> _models = null!;

    [Params(10_000_000)]
    public int Touches { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _set = SyntheticJourneys.Create(Touches);
        _models = ModelNames.RuleBased.Select(ModelSpec.Of).ToList();
        _naive = NaiveJourney.From(_set);
    }

    [Benchmark(Baseline = true, Description = "object per touch, model by model")]
    public double Naive() => NaiveJourney.RunSix(_naive);

    [Benchmark(Description = "columnar engine, one pass, six models")]
    public double Engine()
    {
        var results = AttributionEngine.Run(_set, _models);
        return results[0].TotalConversions;
    }
}
