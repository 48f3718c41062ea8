using System.Diagnostics;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Text;
using OpenAttribution.Stores;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// <c>stores --events FILE --clickhouse URI [--clickhouse URI...] [--skip-duckdb]</c>: imports the file
/// into each ClickHouse store (a fresh database named in the URI, dropped before), then times the
/// six-model comparison and the data-driven models (Markov order 1, Shapley) computed on the shards.
/// </summary>
internal static class ClickHouseHarness
{
    public static void Measure(string uri, string file)
    {
        Console.WriteLine($"clickhouse {uri}");
        using (var store = StoreFactory.Open(uri))
        {
            if (store.CountEvents() > 0)
            {
                Console.WriteLine($"  already holds {store.CountEvents():N0} events: import skipped");
            }
            else
            {
                // A folder is imported file by file (e.g. one file a day), each file one import.
                var files = Directory.Exists(file) ? Directory.GetFiles(file, "*.csv").Order(StringComparer.Ordinal).ToArray() : [file];
                var total = Stopwatch.StartNew();
                long stored = 0;
                foreach (var part in files)
                {
                    var sw = Stopwatch.StartNew();
                    using var import = store.BeginImport();
                    using (var reader = new StreamReader(part))
                    {
                        CsvEventReader.Read(reader, new Forward(import));
                    }

                    var parsed = sw.Elapsed;
                    var counts = import.Commit();
                    stored += counts.Stored;
                    Console.WriteLine($"  import {Path.GetFileName(part)}: {counts.Stored:N0} events in {sw.Elapsed.TotalSeconds:F2} s (parse + send to staging {parsed.TotalSeconds:F2} s, commit {(sw.Elapsed - parsed).TotalSeconds:F2} s) = {counts.Stored / sw.Elapsed.TotalSeconds / 1e6:F2} M events/s");
                }

                Console.WriteLine($"  import total: {stored:N0} events in {total.Elapsed.TotalSeconds:F2} s = {stored / total.Elapsed.TotalSeconds / 1e6:F2} M events/s");
            }
        }

        var six = ModelNames.RuleBased.Select(ModelSpec.Of).ToList();
        var dataDriven = new List<ModelSpec> { ModelSpec.Of(ModelKind.Markov), ModelSpec.Of(ModelKind.Shapley) };
        foreach (var (name, models) in new[] { ("six-model comparison", six), ("markov + shapley", dataDriven) })
        {
            for (var run = 0; run < 2; run++)
            {
                var sw = Stopwatch.StartNew();
                using var store = StoreFactory.Open(uri);
                var pushdown = (IAttributionPushdown)store;
                var results = pushdown.Run(new AttributionRequest(models, Dimension.Channel, new JourneyOptions(), ChannelGrouping.Default));
                Console.WriteLine($"  {name} on the shards, run {run + 1}: {sw.Elapsed.TotalSeconds:F2} s; {results[0].TotalConversions:N0} conversions, value {results[0].TotalValue:N2}");
            }
        }
    }

    private sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(InputError error)
        {
        }
    }
}
