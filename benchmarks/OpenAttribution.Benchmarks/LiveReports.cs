using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using OpenAttribution.Core.Events;
using OpenAttribution.Stores;
using OpenAttribution.Stores.DuckDb;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// The live path: reports while events arrive.
/// <list type="bullet">
/// <item><c>live prepare --events FILE --store X.duckdb --cli attribution.dll</c>: a DuckDB file with a
/// workspace <c>live</c> holding the file's events and a built snapshot; its keys go to <c>X.duckdb.keys</c>.</item>
/// <item><c>live run --store X.duckdb --cli attribution.dll [--seconds 120] [--rate 1000] [--batch 100]</c>: on a
/// copy of the file, starts <c>attribution serve</c>, times the six-model comparison with no ingestion
/// (steady state), then for the given time one loop posts batches of events over HTTP at the rate
/// while another requests the comparison once a second; prints p50 / p99 / max report latency beside
/// the steady-state time, and the ingestion latency.</item>
/// <item><c>live prepare --postgres URI --events FILE --cli attribution.dll --keys FILE</c> and
/// <c>live run --postgres URI --keys FILE --events FILE --cli attribution.dll</c>: the same on a
/// PostgreSQL server (the workspace in its catalog; the run adds its events to it).</item>
/// <item><c>live apply --store X.duckdb [--batches 60] [--batch 100]</c>: in process, on a copy, the cost of
/// storing one batch and applying it to the snapshot, batch after batch (run it on stores of two
/// sizes to see that the cost does not grow with the store).</item>
/// <item><c>live snapshot --store X.duckdb</c>: brings the file's snapshot up to date in place (after a
/// change of its layout), timed.</item>
/// </list>
/// Events are a mix a site sends: mostly new visitors, some returning people of the store (their
/// journeys change), identifies that link a device to a known user (two people merge), conversions,
/// and timestamps spread over the last weeks (late events among them).
/// </summary>
internal static class LiveReports
{
    private const string Workspace = "live";
    private const string Models = "last-touch,first-touch,last-non-direct,linear,time-decay,position-based";

    public static int Run(string[] args)
    {
        var verb = args.Length > 0 ? args[0] : "";
        var options = HarnessOptions.Parse(args.Skip(1).ToArray());
        return verb switch
        {
            "prepare" => Prepare(options),
            "run" => RunAsync(options).GetAwaiter().GetResult(),
            "apply" => Apply(options),
            "snapshot" => Snapshot(options),
            "sql" => Sql(options),
            _ => throw new ArgumentException("live prepare|run|apply: see LiveReports.cs"),
        };
    }

    private static int Prepare(Dictionary<string, string> o)
    {
        if (o.TryGetValue("--postgres", out var postgres))
        {
            // The workspace in the server's PostgreSQL catalog, loaded by the CLI (its import builds the snapshot).
            var keysFile = o["--keys"];
            File.WriteAllText(keysFile, Cli(o["--cli"], "workspace", "create", Workspace, "--store", postgres, "--format", "json"));
            var clock = Stopwatch.StartNew();
            Cli(o["--cli"], "import", "--store", Stores.StoreFactory.ForWorkspace(postgres, Workspace), o["--events"]);
            Console.WriteLine($"prepared workspace {Workspace} on {postgres}: import and snapshot in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }

        var file = o["--events"];
        var path = Path.GetFullPath(o["--store"]);
        var cli = o["--cli"];
        File.Delete(path);
        var created = Cli(cli, "workspace", "create", Workspace, "--store", path, "--format", "json");
        File.WriteAllText(path + ".keys", created);
        using (var store = OpenWorkspace(path))
        {
            var clock = Stopwatch.StartNew();
            using (var import = store.BeginImport())
            using (var reader = new StreamReader(file))
            {
                CsvEventReader.Read(reader, new Forward(import));
                import.Commit();
            }

            var imported = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var how = ((IResolvedEventSource)store).EnsureSnapshot();
            Console.WriteLine($"prepared {path}: {store.CountEvents():N0} events imported in {imported:F1} s, snapshot ({how}) in {clock.Elapsed.TotalSeconds:F1} s");
        }

        return 0;
    }

    private static async Task<int> RunAsync(Dictionary<string, string> o)
    {
        var postgres = o.GetValueOrDefault("--postgres");
        var source = postgres is null ? Path.GetFullPath(o["--store"]) : o["--keys"];
        var cli = o["--cli"];
        var seconds = double.Parse(o.GetValueOrDefault("--seconds", "120"), CultureInfo.InvariantCulture);
        var rate = double.Parse(o.GetValueOrDefault("--rate", "1000"), CultureInfo.InvariantCulture);
        var batch = int.Parse(o.GetValueOrDefault("--batch", "100"), CultureInfo.InvariantCulture);
        var port = int.Parse(o.GetValueOrDefault("--port", "5391"), CultureInfo.InvariantCulture);
        using var keys = JsonDocument.Parse(File.ReadAllText(postgres is null ? source + ".keys" : source));
        var writeKey = keys.RootElement.GetProperty("write_key").GetString()!;
        var readKey = keys.RootElement.GetProperty("read_key").GetString()!;

        // DuckDB: a copy of the file; PostgreSQL: the prepared workspace itself (it keeps the events posted).
        var copy = postgres is null ? source + ".run.duckdb" : Path.GetFullPath("live-postgres");
        if (postgres is null)
        {
            File.Copy(source, copy, overwrite: true);
        }

        var people = postgres is null ? SamplePeople(copy) : SampleFilePeople(o["--events"]);

        using var server = Process.Start(new ProcessStartInfo("dotnet", [cli, "serve", "--store", postgres ?? copy, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        // The server's own output, for when something fails.
        var log = new StreamWriter(copy + ".server.log") { AutoFlush = true };
        server.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            await WaitForServer(http, readKey);
            var report = $"/v1/reports/compare?models={Models}";

            // Steady state: no ingestion; the first request pays the process's warm-up.
            var steady = new List<double>();
            for (var i = 0; i < 11; i++)
            {
                var ms = await Timed(http, readKey, report);
                if (i > 0)
                {
                    steady.Add(ms);
                }
            }

            steady.Sort();
            Console.WriteLine($"steady state (no ingestion): six-model comparison median {Median(steady):F0} ms (min {steady[0]:F0}, max {steady[^1]:F0}, 10 requests)");

            // The same comparison with a lookback not asked for before: nothing kept, so every journey
            // is folded, as the report before kept reports and the CLI's compare --store do.
            var fresh = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                fresh.Add(await Timed(http, readKey, $"{report}&lookback={31 + i}d"));
            }

            fresh.Sort();
            Console.WriteLine($"steady state, a report not kept (every journey folded): median {Median(fresh):F0} ms (min {fresh[0]:F0}, max {fresh[^1]:F0}, 10 requests)");

            var stop = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var ingest = Task.Run(() => Ingest(http, writeKey, people, rate, batch, duration));
            var reports = new List<double>();
            var slowReports = new List<(double At, double Ms)>();
            while (stop.Elapsed < duration)
            {
                var started = stop.Elapsed;
                reports.Add(await Timed(http, readKey, report));
                slowReports.Add((started.TotalSeconds, reports[^1]));
                var wait = TimeSpan.FromSeconds(1) - (stop.Elapsed - started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }

            var (acks, sent) = await ingest;
            reports.Sort();
            acks.Sort();
            var p50 = Percentile(reports, 0.50);
            Console.WriteLine($"while ingesting {sent:N0} events over {seconds:F0} s ({sent / seconds:F0} events/s in batches of {batch}):");
            Console.WriteLine($"  report latency: p50 {p50:F0} ms, p99 {Percentile(reports, 0.99):F0} ms, max {reports[^1]:F0} ms over {reports.Count} reports; p50 / steady state = {p50 / Median(steady):F2}, p50 / a report not kept = {p50 / Median(fresh):F2}");
            Console.WriteLine("  slowest reports (seconds into the run: ms): " + string.Join(", ", slowReports.OrderByDescending(t => t.Ms).Take(5).Select(t => $"{t.At:F1} s: {t.Ms:F0}")));
            Console.WriteLine($"  ingestion (POST /v1/events): p50 {Percentile(acks, 0.50):F1} ms, p99 {Percentile(acks, 0.99):F1} ms, max {acks[^1]:F1} ms");

            // Read your writes: a report after the last acknowledgement counts every event.
            var after = await Timed(http, readKey, report);
            Console.WriteLine($"  first report after the last batch: {after:F0} ms");
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            if (postgres is null)
            {
                File.Delete(copy);
                File.Delete(copy + ".wal");
            }
        }
    }

    /// <summary><c>live sql --store X.duckdb --query SQL [--times 5] [--print]</c>: times a query in the workspace's schema (for exploring the update's statements).</summary>
    private static int Sql(Dictionary<string, string> o)
    {
        var path = Path.GetFullPath(o["--store"]);
        var schema = Schema(path);
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        using (var use = connection.CreateCommand())
        {
            use.CommandText = $"SET schema = '{schema}'";
            use.ExecuteNonQuery();
        }

        // Parts separated by ";;" are timed one by one.
        foreach (var query in o["--query"].Split(";;"))
        for (var i = 0; i < int.Parse(o.GetValueOrDefault("--times", "5"), CultureInfo.InvariantCulture); i++)
        {
            var clock = Stopwatch.StartNew();
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            var rows = 0;
            var print = o.ContainsKey("--print");
            while (reader.Read())
            {
                rows++;
                if (print && i == 0)
                {
                    var values = new object[reader.FieldCount];
                    reader.GetValues(values);
                    Console.WriteLine(string.Join('\t', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
                }
            }

            Console.WriteLine($"{clock.Elapsed.TotalMilliseconds:F1} ms, {rows} rows");
        }

        return 0;
    }

    /// <summary><c>live snapshot --store X.duckdb</c>: brings the workspace's snapshot up to date in place (after a layout change), timed.</summary>
    private static int Snapshot(Dictionary<string, string> o)
    {
        using var store = OpenWorkspace(Path.GetFullPath(o["--store"]));
        var clock = Stopwatch.StartNew();
        var how = ((IResolvedEventSource)store).EnsureSnapshot();
        Console.WriteLine($"snapshot {how} in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static int Apply(Dictionary<string, string> o) => o.ContainsKey("--postgres") ? ApplyPostgres(o) : ApplyDuckDb(o);

    /// <summary>
    /// <c>live apply --postgres URI --events FILE</c>: the same on PostgreSQL, in a new schema (dropped
    /// at the end) loaded with the file: its full snapshot build, then the batches.
    /// </summary>
    private static int ApplyPostgres(Dictionary<string, string> o)
    {
        var schema = "oa_live_" + Guid.NewGuid().ToString("N")[..8];
        var uri = o["--postgres"] + (o["--postgres"].Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;
        try
        {
            using var store = new Stores.PostgreSql.PostgreSqlEventStore(uri);
            var clock = Stopwatch.StartNew();
            using (var import = store.BeginImport())
            using (var reader = new StreamReader(o["--events"]))
            {
                CsvEventReader.Read(reader, new Forward(import));
                import.Commit();
            }

            Console.WriteLine($"PostgreSQL: {store.CountEvents():N0} events imported in {clock.Elapsed.TotalSeconds:F1} s");
            clock.Restart();
            var how = ((IResolvedEventSource)store).EnsureSnapshot();
            Console.WriteLine($"snapshot ({how}) in {clock.Elapsed.TotalSeconds:F1} s");
            var people = SampleFilePeople(o["--events"]);
            return Batches(store, people, o);
        }
        finally
        {
            using var connection = new Npgsql.NpgsqlConnection(ConnectionString(o["--postgres"]));
            connection.Open();
            using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    private static string ConnectionString(string uri)
    {
        var u = new Uri(uri);
        var user = u.UserInfo.Split(':');
        return $"Host={u.Host};Port={u.Port};Username={Uri.UnescapeDataString(user[0])};Database={u.AbsolutePath.Trim('/')}" +
            (user.Length > 1 ? $";Password={Uri.UnescapeDataString(user[1])}" : "");
    }

    /// <summary>Ids of people in an event file (a sample of its first rows) and its last event time.</summary>
    private static People SampleFilePeople(string file)
    {
        var anonymous = new HashSet<string>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.Ordinal);
        var last = 0L;
        foreach (var line in File.ReadLines(file).Skip(1).Take(200_000))
        {
            var f = line.Split(',');
            if (f.Length > 4)
            {
                if (f[3].Length > 0 && anonymous.Count < 5000)
                {
                    anonymous.Add(f[3]);
                }

                if (f[2].Length > 0 && users.Count < 2000)
                {
                    users.Add(f[2]);
                }

                last = Math.Max(last, DateTime.Parse(f[1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).Ticks);
            }
        }

        return new People([.. anonymous], [.. users], last);
    }

    private static int ApplyDuckDb(Dictionary<string, string> o)
    {
        var source = Path.GetFullPath(o["--store"]);
        var copy = source + ".apply.duckdb";
        File.Copy(source, copy, overwrite: true);
        try
        {
            var people = SamplePeople(copy);
            using var store = OpenWorkspace(copy);
            ((IResolvedEventSource)store).EnsureSnapshot();
            if (Environment.GetEnvironmentVariable("OA_BENCH_SQL") is { } sql)
            {
                using var c = new DuckDBConnection($"Data Source={copy}");
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = $"SET schema = '{Schema(copy)}'; {sql}";
                cmd.ExecuteNonQuery();
            }

            var result = Batches(store, people, o);

            // What the batches cost a checkpoint (DuckDB runs one on the commit that fills the WAL).
            using var connection = new DuckDBConnection($"Data Source={copy}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SET schema = '{Schema(copy)}';
                SELECT (SELECT count(*) FROM snapshot_delta),
                       (SELECT count(*) FROM snapshot_delta d JOIN snapshot_current c ON c.person = d.person AND c.ver = d.ver),
                       (SELECT count(*) FROM snapshot_current), (SELECT count(*) FROM snapshot_changes), (SELECT count(*) FROM snapshot_people_new)
                """;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                Console.WriteLine(
                    $"delta: {reader.GetInt64(0):N0} rows, {reader.GetInt64(1):N0} of them current; {reader.GetInt64(2):N0} delta people, {reader.GetInt64(3):N0} changes, {reader.GetInt64(4):N0} new people");
            }

            command.CommandText = "CHECKPOINT";
            var clock = Stopwatch.StartNew();
            command.ExecuteNonQuery();
            Console.WriteLine($"checkpoint after the batches: {clock.Elapsed.TotalMilliseconds:F0} ms");
            return result;
        }
        finally
        {
            File.Delete(copy);
            File.Delete(copy + ".wal");
        }
    }

    /// <summary>Stores <c>--batches</c> batches of <c>--batch</c> events one by one, each followed by the snapshot's update; prints the medians.</summary>
    private static int Batches(IEventStore store, People people, Dictionary<string, string> o)
    {
        var batches = int.Parse(o.GetValueOrDefault("--batches", "60"), CultureInfo.InvariantCulture);
        var batch = int.Parse(o.GetValueOrDefault("--batch", "100"), CultureInfo.InvariantCulture);
        var resolved = (IResolvedEventSource)store;
        var random = new Random(7);
        var stores = new List<double>();
        var applies = new List<double>();
        var seq = 0L;
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var b = 0; b < batches; b++)
        {
            var body = Events(people, random, run, ref seq, batch);
            var clock = Stopwatch.StartNew();
            // As the server stores a batch: its id set has checked the ids (they are new here).
            using (var import = store is ICheckedIdsImport checkedIds ? checkedIds.BeginImportOfCheckedIds() : store.BeginImport())
            {
                JsonBodyEventReader.Read(Encoding.UTF8.GetBytes(body), new Forward(import), out _);
                import.Commit();
            }

            stores.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var how = resolved.EnsureSnapshot();
            applies.Add(clock.Elapsed.TotalMilliseconds);
            if (Environment.GetEnvironmentVariable("OA_BENCH_CHECKPOINT") is { } path)
            {
                using var connection = new DuckDBConnection($"Data Source={path}");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CHECKPOINT";
                var at = Stopwatch.StartNew();
                command.ExecuteNonQuery();
                Console.Write($"{at.Elapsed.TotalMilliseconds:F0} ");
            }
            if (how != Stores.Snapshot.SnapshotRefresh.Incremental)
            {
                Console.WriteLine($"batch {b}: snapshot {how}");
            }
        }

        stores.Sort();
        applies.Sort();
        Console.WriteLine($"{store.CountEvents():N0} events: storing a {batch}-event batch p50 {Median(stores):F1} ms; applying it to the snapshot p50 {Median(applies):F1} ms, p90 {Percentile(applies, 0.9):F1} ms, max {applies[^1]:F1} ms ({batches} batches)");
        return 0;
    }

    /// <summary>Posts a batch every <c>batch / rate</c> seconds without waiting for the previous answers (many browsers).</summary>
    private static async Task<(List<double> Acks, long Sent)> Ingest(HttpClient http, string key, People people, double rate, int batch, TimeSpan duration)
    {
        var random = new Random(11);
        var acks = new List<double>();
        var timeline = new List<(double At, double Ms)>();
        var run = Guid.NewGuid().ToString("N")[..8];
        long seq = 0, sent = 0;
        var interval = TimeSpan.FromSeconds(batch / rate);
        var clock = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        var posts = new List<Task>();
        while (clock.Elapsed < duration)
        {
            var body = Events(people, random, run, ref seq, batch);
            posts.Add(Post(body));
            sent += batch;
            next += interval;
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }

        await Task.WhenAll(posts);
        Console.WriteLine("  slowest acknowledgements (seconds into the run: ms): " + string.Join(", ", timeline.OrderByDescending(t => t.Ms).Take(5).Select(t => $"{t.At:F1} s: {t.Ms:F0}")));
        return (acks, sent);

        async Task Post(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var started = Stopwatch.GetTimestamp();
            var at = clock.Elapsed.TotalSeconds;
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (acks)
            {
                acks.Add(ms);
                timeline.Add((at, ms));
            }
        }
    }

    /// <summary>
    /// A JSON array of events: 60% from new visitors, 25% from people of the store, 5% identifies
    /// linking a device (new or stored) to a stored user, 10% conversions; times over the last 30 days
    /// of the store's data.
    /// </summary>
    private static string Events(People people, Random random, string run, ref long seq, int batch)
    {
        string[] sources = ["google", "newsletter", "facebook", "bing", "partner"];
        string[] mediums = ["cpc", "email", "paid_social", "cpc", "referral"];
        var body = new StringBuilder(batch * 256).Append('[');
        for (var i = 0; i < batch; i++)
        {
            var n = seq++;
            var ts = new DateTime(people.LastTicks - random.NextInt64(TimeSpan.FromDays(30).Ticks), DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var kind = random.Next(100);
            var id = $"\"event_id\":\"live-{run}-{n}\",\"timestamp\":\"{ts}\"";
            var visitor = kind < 60 || people.Anonymous.Length == 0 ? $"\"anonymous_id\":\"live-{run}-{n / 8}\"" : $"\"anonymous_id\":\"{people.Anonymous[random.Next(people.Anonymous.Length)]}\"";
            if (i > 0)
            {
                body.Append(',');
            }

            if (kind >= 85 && kind < 90 && people.Users.Length > 0)
            {
                body.Append(CultureInfo.InvariantCulture, $$"""{{{id}},{{visitor}},"user_id":"{{people.Users[random.Next(people.Users.Length)]}}","type":"identify"}""");
            }
            else if (kind >= 90)
            {
                body.Append(CultureInfo.InvariantCulture, $$"""{{{id}},{{visitor}},"type":"conversion","conversion":"purchase","value":"{{random.Next(10, 200)}}.90"}""");
            }
            else
            {
                var s = random.Next(sources.Length);
                body.Append(CultureInfo.InvariantCulture, $$"""{{{id}},{{visitor}},"type":"touch","url":"https://shop.example/landing?utm_source={{sources[s]}}&utm_medium={{mediums[s]}}&utm_campaign=live-{{s}}","referrer":"https://www.{{sources[s]}}.com/"}""");
            }
        }

        return body.Append(']').ToString();
    }

    private sealed record People(string[] Anonymous, string[] Users, long LastTicks);

    /// <summary>Ids of stored people (a sample) and the store's last event time, from the workspace's schema.</summary>
    private static People SamplePeople(string path)
    {
        var schema = Schema(path);
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        return new People(Column($"SELECT anonymous_id FROM {schema}.events WHERE anonymous_id IS NOT NULL USING SAMPLE 5000 ROWS"),
            Column($"SELECT user_id FROM {schema}.events WHERE user_id IS NOT NULL USING SAMPLE 2000 ROWS"),
            Convert.ToInt64(Scalar($"SELECT coalesce(max(timestamp_ticks), {DateTime.UtcNow.Ticks}) FROM {schema}.events"), CultureInfo.InvariantCulture));

        string[] Column(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var list = new List<string>();
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }

            return [.. list];
        }

        object Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar()!;
        }
    }

    private static DuckDbEventStore OpenWorkspace(string path) => new(path, Schema(path));

    private static string Schema(string path)
    {
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT schema_name FROM main.oa_workspaces WHERE name = '{Workspace}'";
        return (string)command.ExecuteScalar()!;
    }

    private static async Task WaitForServer(HttpClient http, string key)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/workspace");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the server did not answer within 60 s");
    }

    private static async Task<double> Timed(HttpClient http, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static string Cli(string dll, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"attribution {string.Join(' ', args)}: {error}");
    }

    private static double Median(List<double> sorted) => Percentile(sorted, 0.5);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed class Forward(IStoreImport import) : IEventSink
    {
        public void Accept(in EventRow row) => import.Add(row);

        public void Reject(Core.Text.InputError error)
        {
        }
    }
}
