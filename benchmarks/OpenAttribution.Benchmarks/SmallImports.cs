using System.Diagnostics;
using System.Globalization;
using OpenAttribution.Core.Events;
using OpenAttribution.Stores;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// <c>small-imports [--imports N] [--rows R] [--store FILE]</c>: N imports of R new events each, one
/// after another, into one DuckDB file, as the server's group commit makes them (ids checked by the
/// caller). Prints the time per import (begin, add, commit) and the events per second: the fixed cost
/// of an import, which bounds the server's ingestion with few clients. With <c>--beside M</c>, an
/// import of M new events (ids checked) runs on another thread meanwhile, as a CLI import beside a
/// busy server: its commit holds the store's commit lock, which the small imports' p99 and max show.
/// </summary>
public static class SmallImports
{
    public static void Run(string[] args)
    {
        var imports = int.Parse(Value(args, "--imports") ?? "2000", CultureInfo.InvariantCulture);
        var rows = int.Parse(Value(args, "--rows") ?? "100", CultureInfo.InvariantCulture);
        var beside = int.Parse(Value(args, "--beside") ?? "0", CultureInfo.InvariantCulture);
        var path = Value(args, "--store") ?? Path.Combine(Path.GetTempPath(), $"oa-small-{Environment.ProcessId}.duckdb");
        File.Delete(path);
        File.Delete(path + ".wal");
        using var store = StoreFactory.Open(path);
        var ticks = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var times = new List<double>(imports);
        var all = Stopwatch.StartNew();
        long rssAtTenth = 0;
        var large = beside > 0 ? new Thread(() => LargeImport(store, beside, ticks)) { Name = "large-import" } : null;
        large?.Start();
        for (var i = 0; i < imports; i++)
        {
            var sw = Stopwatch.StartNew();
            using var import = store is ICheckedIdsImport checkedIds ? checkedIds.BeginImportOfCheckedIds() : store.BeginImport();
            for (var r = 0; r < rows; r++)
            {
                var n = (long)i * rows + r;
                var id = "ev-" + n.ToString(CultureInfo.InvariantCulture);
                var anon = "anon-" + (n / 10).ToString(CultureInfo.InvariantCulture);
                import.Add(new EventRow
                {
                    Line = r + 1,
                    TimestampTicks = ticks + n * TimeSpan.TicksPerSecond,
                    Type = r % 10 == 9 ? EventType.Conversion : EventType.Touch,
                    Value = r % 10 == 9 ? 25 : 0,
                    EventId = id,
                    AnonymousId = anon,
                    Source = "google",
                    Medium = "cpc",
                    Campaign = "spring",
                    Url = "https://shop.example/landing?utm_source=google",
                    Conversion = r % 10 == 9 ? "purchase" : default,
                });
            }

            import.Commit();
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (i + 1 == Math.Max(1, imports / 10))
            {
                rssAtTenth = Rss();
            }
        }

        var total = all.Elapsed.TotalSeconds;
        large?.Join();
        times.Sort();
        Console.WriteLine(
            $"{imports:N0} imports of {rows} events into {store.Description}: {total:F2} s, " +
            $"{(double)imports * rows / total:N0} events/s; per import p50 {times[times.Count / 2]:F2} ms, " +
            $"p90 {times[times.Count * 9 / 10]:F2} ms, p99 {times[times.Count * 99 / 100]:F2} ms, max {times[^1]:F2} ms");

        // A leak per import shows as RSS that keeps growing after the first tenth (the store's own
        // caches are warm by then and the events are few).
        var rss = Rss();
        Console.WriteLine(
            $"RSS after a tenth of the imports {rssAtTenth / 1048576.0:F0} MB, at the end {rss / 1048576.0:F0} MB: " +
            $"{(rss - rssAtTenth) / (imports - Math.Max(1, imports / 10) + 0.0) / 1024:F2} KB per later import");
        File.Delete(path);
        File.Delete(path + ".wal");
    }

    /// <summary>One import of <paramref name="count"/> new events, begun with the small ones and committed while they go on.</summary>
    private static void LargeImport(IEventStore store, int count, long ticks)
    {
        var sw = Stopwatch.StartNew();
        using var import = store.BeginImport();
        for (var n = 0; n < count; n++)
        {
            import.Add(new EventRow
            {
                Line = n + 1,
                TimestampTicks = ticks + n * TimeSpan.TicksPerSecond,
                Type = EventType.Touch,
                Value = 0,
                EventId = "large-" + n.ToString(CultureInfo.InvariantCulture),
                AnonymousId = "large-anon-" + (n / 10).ToString(CultureInfo.InvariantCulture),
                Source = "newsletter",
                Medium = "email",
            });
        }

        var added = sw.Elapsed.TotalSeconds;
        var counts = import.Commit();
        Console.WriteLine(
            $"beside them, one import of {count:N0} events: added in {added:F2} s, committed in {sw.Elapsed.TotalSeconds - added:F2} s " +
            $"({counts.Stored:N0} stored, {counts.Duplicates:N0} duplicates)");
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
