using System.Diagnostics;
using DuckDB.NET.Data;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Text;
using OpenAttribution.Stores;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// Imports an event file into each store, then times the six-model comparison from the store and,
/// for DuckDB, the same models written as plain SQL with window functions over the same table (the
/// baseline). Prints one line per measurement.
/// </summary>
internal static class StoreHarness
{
    /// <summary>--streamed-only: of the reports, time only the streamed comparison (and the SQL baseline).</summary>
    private static bool _streamedOnly;

    public static void Run(string[] args)
    {
        var events = Value(args, "--events") ?? throw new ArgumentException("stores needs --events FILE");
        var postgres = Value(args, "--postgres");
        // --duckdb FILE keeps the store: a second run with the same file skips parsing and the import,
        // so the reports' memory is measured in a process that did nothing else.
        var keep = Value(args, "--duckdb");
        _streamedOnly = args.Contains("--streamed-only");
        var duck = keep ?? Path.Combine(Path.GetTempPath(), $"oa-bench-{Environment.ProcessId}.duckdb");
        var imported = keep is not null && File.Exists(keep);
        if (keep is null)
        {
            File.Delete(duck);
        }

        Console.WriteLine(File.Exists(events) ? $"file: {events}, {new FileInfo(events).Length / 1e6:F0} MB" : $"folder: {events}");
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--clickhouse")
            {
                ClickHouseHarness.Measure(args[i + 1], events);
            }
        }

        if (args.Contains("--skip-duckdb"))
        {
            return;
        }

        if (!imported)
        {
            ParseOnly(events);
        }

        if (args.Contains("--import-only"))
        {
            // Times the DuckDB import alone (a fresh file, or into --duckdb FILE when it exists), then
            // the same file again (every event a duplicate), and prints the store file's size.
            Import("duckdb", duck, events);
            Console.WriteLine($"duckdb: store file {new FileInfo(duck).Length / 1e6:F0} MB");
            if (args.Contains("--twice"))
            {
                Import("duckdb (again, all duplicates)", duck, events);
                Console.WriteLine($"duckdb: store file {new FileInfo(duck).Length / 1e6:F0} MB");
            }

            if (keep is null)
            {
                File.Delete(duck);
            }

            return;
        }

        Measure("duckdb", duck, imported ? null : events);
        SqlBaseline(duck);
        if (postgres is not null)
        {
            var schema = $"oa_bench_{Environment.ProcessId}";
            var uri = postgres + (postgres.Contains('?') ? "&" : "?") + $"schema={schema}";
            try
            {
                Measure("postgresql", uri, events);
            }
            finally
            {
                // A kept 10M-event schema's autovacuum would skew later runs on the same server.
                DropSchema(postgres, schema);
            }
        }

        if (keep is null)
        {
            File.Delete(duck);
        }
    }

    /// <summary>Drops the harness's schema from the PostgreSQL server of <paramref name="uri"/> (postgresql://user[:password]@host[:port]/database).</summary>
    private static void DropSchema(string uri, string schema)
    {
        var parsed = new Uri(uri);
        var user = Uri.UnescapeDataString(parsed.UserInfo);
        var colon = user.IndexOf(':', StringComparison.Ordinal);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.Port > 0 ? parsed.Port : 5432,
            Username = colon >= 0 ? user[..colon] : user,
            Password = colon >= 0 ? user[(colon + 1)..] : null,
            Database = parsed.AbsolutePath.Trim('/') is { Length: > 0 } database ? database : "postgres",
        };
        Npgsql.NpgsqlConnection.ClearAllPools();
        using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        drop.ExecuteNonQuery();
        Console.WriteLine($"postgresql: schema {schema} dropped");
    }

    private static void ParseOnly(string file)
    {
        var sw = Stopwatch.StartNew();
        using var reader = new StreamReader(file);
        var summary = CsvEventReader.Read(reader, new NullSink());
        Report("csv parse + validate only", summary.Valid, sw.Elapsed);
    }

    private static void Measure(string name, string location, string? file)
    {
        if (file is not null)
        {
            Import(name, location, file);
        }

        var models = ModelNames.RuleBased.Select(ModelSpec.Of).ToList();
        for (var run = 0; run < (_streamedOnly ? 0 : 3); run++)
        {
            // DuckDB: run 1 builds the resolved snapshot, run 2 reuses it; run 3 reads raw rows (the old path).
            var raw = run == 2;
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            using var peak = new PeakMemory();
            var sw = Stopwatch.StartNew();
            using var store = StoreFactory.Open(location);
            EventTable table;
            if (store is IResolvedEventSource resolved && !raw)
            {
                table = resolved.ReadResolved(Core.Channels.ChannelGrouping.Default);
            }
            else
            {
                var builder = new EventTableBuilder(deduplicate: false);
                store.ReadEvents(builder);
                table = builder.Build();
            }

            var read = sw.Elapsed;
            var set = JourneyBuilder.Build(table);
            var journeys = sw.Elapsed - read;
            var results = AttributionEngine.Run(set, models);
            var held = GC.GetTotalMemory(false) - before;
            var how = store is IResolvedEventSource && !raw ? "resolved snapshot" : "raw rows";
            Console.WriteLine(
                $"{name}: six-model comparison from the store ({how}), run {run + 1}: {sw.Elapsed.TotalSeconds:F2} s " +
                $"(read {read.TotalSeconds:F2} s, journeys {journeys.TotalSeconds:F2} s, models {(sw.Elapsed - read - journeys).TotalSeconds:F2} s), " +
                $"{set.Conversions:N0} conversions, managed memory held {held / 1e6:F0} MB (peak {(peak.Max - before) / 1e6:F0} MB), " +
                $"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; total {results[0].TotalConversions:N0}");
            if (store is not IResolvedEventSource && run == 1)
            {
                break;
            }

        }

        if (Array.IndexOf(["duckdb", "postgresql"], name) >= 0)
        {
            for (var run = 1; run <= 3; run++)
            {
                Streamed(name, location, models, run, pipelined: false, collect: false);
                Streamed(name, location, models, run, pipelined: true, collect: false);
            }

            // Memory alone: the sampler collects before each sample, so it sees live data, not garbage.
            Streamed(name, location, models, 4, pipelined: true, collect: true);
        }
    }

    /// <summary>The comparison with journeys streamed from the snapshot in batches of people and folded as they come.</summary>
    private static void Streamed(string name, string location, IReadOnlyList<ModelSpec> models, int run, bool pipelined, bool collect)
    {
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        using var peak = new PeakMemory(collect);
        var sw = Stopwatch.StartNew();
        using var store = StoreFactory.Open(location);
        var accumulator = new AttributionAccumulator(models);
        var conversions = 0L;
        void Consume(JourneySet batch)
        {
            conversions += batch.Conversions;
            accumulator.Add(batch);
        }

        var resolved = (IResolvedEventSource)store;
        var events = pipelined
            ? JourneyPipeline.Run((onBatch, stop) => resolved.ReadJourneys(Core.Channels.ChannelGrouping.Default, new JourneyOptions(), onBatch, stop), Consume)
            : resolved.ReadJourneys(Core.Channels.ChannelGrouping.Default, new JourneyOptions(), Consume);
        var results = accumulator.Results();
        var how = (pipelined ? "models on a second thread" : "one thread") + (collect ? ", memory only: collecting before each sample" : string.Empty);
        Console.WriteLine(
            $"{name}: six-model comparison from the store (journeys streamed in batches of people, {how}), run {run}: {sw.Elapsed.TotalSeconds:F2} s, " +
            $"{events:N0} events, {conversions:N0} conversions, managed memory peak {(peak.Max - before) / 1e6:F0} MB above the {before / 1e6:F0} MB before, " +
            $"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB; total {results[0].TotalConversions:N0}");
    }

    /// <summary>The largest managed heap seen while it lives (sampled every millisecond or so).</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _max;

        public PeakMemory(bool collect = false)
        {
            _max = GC.GetTotalMemory(false);
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    var now = GC.GetTotalMemory(collect);
                    if (now > Interlocked.Read(ref _max))
                    {
                        Interlocked.Exchange(ref _max, now);
                    }

                    Thread.Sleep(collect ? 5 : 1);
                }
            })
            { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public long Max => Interlocked.Read(ref _max);

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }

    private static void Import(string name, string location, string file)
    {
        using var store = StoreFactory.Open(location);
        var sw = Stopwatch.StartNew();
        using var import = store.BeginImport();
        using (var reader = new StreamReader(file))
        {
            CsvEventReader.Read(reader, new Forward(import));
        }

        var parsed = sw.Elapsed;
        var counts = import.Commit();
        Report($"{name}: import (csv parse + load + commit)", counts.Stored, sw.Elapsed);
        Console.WriteLine($"{name}: the last row handed over after {parsed.TotalSeconds:F2} s, commit {(sw.Elapsed - parsed).TotalSeconds:F2} s");
        if (counts.Duplicates > 0)
        {
            Console.WriteLine($"{name}: {counts.Duplicates:N0} duplicates dropped");
        }
    }

    /// <summary>Last touch, first touch, last non-direct, linear, time decay and position-based as DuckDB SQL.</summary>
    private static void SqlBaseline(string file)
    {
        const string sql = """
            WITH links AS (
                SELECT anonymous_id, arg_min(user_id, (timestamp_ticks, seq)) AS user_id
                FROM events WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY anonymous_id),
            ev AS (
                SELECT e.seq, e.timestamp_ticks AS ts, e.type, e.value,
                       coalesce(e.channel, e.source, '(direct)') AS ch,
                       coalesce('u:' || e.user_id, 'u:' || l.user_id, 'a:' || e.anonymous_id) AS person
                FROM events e LEFT JOIN links l ON l.anonymous_id = e.anonymous_id),
            conv AS (SELECT seq AS cseq, person, ts AS cts, value FROM ev WHERE type = 'conversion'),
            touch AS (SELECT seq, person, ts, ch FROM ev WHERE type = 'touch'),
            path AS (
                SELECT c.cseq, c.cts, c.value, t.ch, t.ts,
                       row_number() OVER w AS pos,
                       count(*) OVER (PARTITION BY c.cseq) AS n
                FROM conv c JOIN touch t ON t.person = c.person AND t.ts > c.cts - 25920000000000 AND t.ts <= c.cts
                WINDOW w AS (PARTITION BY c.cseq ORDER BY t.ts, t.seq)),
            weighted AS (
                SELECT *, pow(2, -(cts - ts) / 6048000000000.0) AS decay,
                       sum(pow(2, -(cts - ts) / 6048000000000.0)) OVER (PARTITION BY cseq) AS decay_sum,
                       max(CASE WHEN ch <> 'Direct' THEN pos END) OVER (PARTITION BY cseq) AS last_nd
                FROM path)
            SELECT ch,
                   sum(CASE WHEN pos = n THEN 1 ELSE 0 END) AS last_touch,
                   sum(CASE WHEN pos = 1 THEN 1 ELSE 0 END) AS first_touch,
                   sum(CASE WHEN pos = coalesce(last_nd, n) THEN 1 ELSE 0 END) AS last_non_direct,
                   sum(1.0 / n) AS linear,
                   sum(decay / decay_sum) AS time_decay,
                   sum(CASE WHEN n = 1 THEN 1 WHEN n = 2 THEN 0.5 WHEN pos = 1 OR pos = n THEN 0.4 ELSE 0.2 / (n - 2) END) AS position_based
            FROM weighted GROUP BY ch ORDER BY last_touch DESC
            """;
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        for (var run = 0; run < 2; run++)
        {
            var sw = Stopwatch.StartNew();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                rows++;
            }

            Console.WriteLine($"duckdb: the six models as plain SQL (window functions), run {run + 1}: {sw.Elapsed.TotalSeconds:F2} s, {rows} channels");
        }
    }

    private static void Report(string what, long events, TimeSpan elapsed) =>
        Console.WriteLine($"{what}: {events:N0} events in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds / 1e6:F2} M events/s");

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class NullSink : IEventSink
    {
        public void Accept(in EventRow row)
        {
        }

        public void Reject(InputError error)
        {
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
