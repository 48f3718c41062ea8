using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// <c>file-path --events FILE --cli attribution.dll [--runs 3]</c>: the README's file path as a user runs
/// it, <c>attribution compare --events FILE --models last-touch,linear --format csv</c> as a whole
/// process, against a plain DuckDB SQL baseline that computes the same two models from the same CSV
/// file, also as a process of its own (this harness, <c>file-path sql</c>). The runs are interleaved;
/// each prints wall time, CPU time (user + system) and peak resident memory, read from <c>/proc</c>.
/// The medians' ratio is the figure for the goal (the baseline's wall time over ours), and the two
/// outputs are compared number by number.
/// </summary>
/// <remarks>
/// The baseline is what a data team would write: DuckDB reads the CSV on every core, drops repeated
/// event ids (the first row wins), links each anonymous id to the user of its earliest row with both
/// ids, joins every conversion to the person's touches of the 30 days before it, and sums last touch
/// and linear credit by channel. Channels are the product's own grouping (<see cref="ChannelGrouping"/>),
/// applied in C# to each distinct combination of traffic fields that SQL finds (a few hundred), since a
/// plain SQL baseline would have to copy GA4's rules by hand; click ids (gclid, fbclid) count by their
/// presence, not their value, as the product keys them.
/// </remarks>
internal static class FilePathHarness
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "sql")
        {
            var sqlOptions = HarnessOptions.Parse(args[1..]);
            foreach (var line in Baseline(sqlOptions["--events"]))
            {
                Console.WriteLine(line);
            }

            return 0;
        }

        var options = HarnessOptions.Parse(args);
        var events = options["--events"];
        var cli = options["--cli"];
        var runs = int.Parse(options.GetValueOrDefault("--runs", "3"), CultureInfo.InvariantCulture);
        var self = typeof(FilePathHarness).Assembly.Location;
        var ours = new List<Measure>();
        var sql = new List<Measure>();
        string oursOut = "", sqlOut = "";
        for (var i = 0; i < runs; i++)
        {
            var a = Measure.Process("dotnet", [cli, "compare", "--events", events, "--models", "last-touch,linear", "--format", "csv"]);
            var b = Measure.Process("dotnet", [self, "file-path", "sql", "--events", events]);
            Console.WriteLine($"run {i + 1}: ours {a}; SQL {b}");
            ours.Add(a);
            sql.Add(b);
            oursOut = a.Output;
            sqlOut = b.Output;
        }

        var mine = Median(ours);
        var theirs = Median(sql);
        var error = MaxRelativeDifference(oursOut, sqlOut, out var compared);
        Console.WriteLine($"median: ours {mine}; SQL {theirs}");
        Console.WriteLine($"numbers: {compared} (model, channel) pairs compared, max relative difference {error:E1}");
        var ratio = theirs.Wall / mine.Wall;
        Console.WriteLine($"goal: ours >= 3x faster than the SQL in wall time: {ratio:F2}x ({(ratio >= 3 ? "met" : "not met")}); CPU {theirs.Cpu / mine.Cpu:F2}x; peak memory {mine.PeakMb:F0} MB against {theirs.PeakMb:F0} MB");
        return 0;
    }

    private static Measure Median(List<Measure> all)
    {
        var byWall = all.OrderBy(m => m.Wall).ToList();
        return byWall[byWall.Count / 2];
    }

    /// <summary>The largest relative difference of conversions or value over the (model, channel) rows both outputs have.</summary>
    private static double MaxRelativeDifference(string ours, string sql, out int compared)
    {
        static Dictionary<(string, string), (double, double)> Rows(string csv) =>
            csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Skip(1)
                .Select(l => l.Split(','))
                .Where(f => f.Length == 4)
                .ToDictionary(f => (f[0], f[1]), f => (double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture)));

        var a = Rows(ours);
        var b = Rows(sql);
        compared = 0;
        var worst = 0.0;
        foreach (var (key, (conversions, value)) in a)
        {
            if (!b.TryGetValue(key, out var other))
            {
                Console.WriteLine($"  only ours: {key}");
                worst = double.PositiveInfinity;
                continue;
            }

            compared++;
            worst = Math.Max(worst, Math.Abs(conversions - other.Item1) / Math.Max(1e-300, Math.Abs(other.Item1)));
            worst = Math.Max(worst, Math.Abs(value - other.Item2) / Math.Max(1e-300, Math.Abs(other.Item2)));
        }

        foreach (var key in b.Keys.Where(k => !a.ContainsKey(k)))
        {
            Console.WriteLine($"  only SQL: {key}");
            worst = double.PositiveInfinity;
        }

        return worst;
    }

    /// <summary>The baseline: last touch and linear by channel, as CSV lines (model,channel,conversions,value).</summary>
    private static IEnumerable<string> Baseline(string events)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var file = events.Replace("'", "''", StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        Execute(connection, $$"""
            CREATE TABLE ev AS
            SELECT *, lower(trim(type)) = 'touch' AS touch,
                   hash(channel, source, medium, campaign, content, term, referrer,
                        CASE WHEN contains(url, 'clid=') OR contains(url, 'braid=')
                             THEN regexp_replace(url, '((?:gclid|gbraid|wbraid|msclkid|dclid|fbclid)=)[^&#]+', '\11', 'g') ELSE url END) AS traffic
            FROM read_csv('{{file}}', header = true, all_varchar = true, types = {'timestamp': 'TIMESTAMPTZ', 'value': 'DOUBLE'});
            CREATE TABLE traffic AS
            SELECT traffic, any_value(channel) AS channel, any_value(source) AS source, any_value(medium) AS medium, any_value(campaign) AS campaign,
                   any_value(content) AS content, any_value(term) AS term, any_value(referrer) AS referrer, any_value(url) AS url
            FROM ev WHERE touch GROUP BY traffic;
            """);
        Console.Error.WriteLine($"  read: {clock.Elapsed.TotalSeconds:F2} s");

        // The product's channel grouping for each distinct combination of traffic fields.
        var names = new Dimensions();
        var grouping = new TouchSourceResolver(ChannelGrouping.Default, names);
        var grouped = new List<(ulong Key, string Channel)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT traffic, channel, source, medium, campaign, content, term, referrer, url FROM traffic";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                string? Text(int c) => reader.IsDBNull(c) ? null : reader.GetString(c);
                var (channel, _, _, _) = grouping.Resolve(Text(1), Text(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8));
                grouped.Add((reader.GetFieldValue<ulong>(0), names.Channels[channel]));
            }
        }

        Execute(connection, "CREATE TABLE channels (traffic UBIGINT, channel VARCHAR)");
        using (var appender = connection.CreateAppender("channels"))
        {
            foreach (var (key, channel) in grouped)
            {
                appender.CreateRow().AppendValue(key).AppendValue(channel).EndRow();
            }
        }

        Console.Error.WriteLine($"  channels: {clock.Elapsed.TotalSeconds:F2} s ({grouped.Count} distinct)");
        using var query = connection.CreateCommand();
        query.CommandText = """
            WITH kept AS (
                SELECT rowid AS rn, "timestamp" AS ts, touch, lower(trim(type)) = 'conversion' AS conversion, user_id, anonymous_id, value, traffic
                FROM ev
                WHERE event_id IS NULL OR rowid IN (SELECT min(rowid) FROM ev WHERE event_id IS NOT NULL GROUP BY event_id)),
            links AS (
                SELECT anonymous_id, arg_min(user_id, (ts, rn)) AS linked
                FROM kept WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL GROUP BY anonymous_id),
            people AS (
                SELECT kept.*, coalesce(kept.user_id, links.linked, '~' || kept.anonymous_id) AS person
                FROM kept LEFT JOIN links USING (anonymous_id)),
            conversions AS (SELECT person, rn, ts, coalesce(value, 0) AS value FROM people WHERE conversion),
            touches AS (
                SELECT p.person, p.rn, p.ts, c.channel
                FROM people p JOIN channels c USING (traffic)
                WHERE p.touch),
            paths AS (
                SELECT c.rn AS conversion, c.value, coalesce(t.channel, '(none)') AS channel,
                       row_number() OVER (PARTITION BY c.rn ORDER BY t.ts DESC, t.rn DESC) AS from_last,
                       count(t.rn) OVER (PARTITION BY c.rn) AS touches
                FROM conversions c LEFT JOIN touches t
                  ON t.person = c.person AND t.ts <= c.ts AND t.ts > c.ts - INTERVAL 30 DAY)
            SELECT 'last-touch' AS model, channel, count(*)::DOUBLE AS conversions, sum(value) AS value FROM paths WHERE from_last = 1 GROUP BY channel
            UNION ALL
            SELECT 'linear', channel, sum(1.0 / greatest(touches, 1)), sum(value / greatest(touches, 1)) FROM paths GROUP BY channel
            ORDER BY 1, 3 DESC
            """;
        using var result = query.ExecuteReader();
        var lines = new List<string> { "model,channel,conversions,value" };
        while (result.Read())
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{result.GetString(0)},{result.GetString(1)},{result.GetDouble(2):R},{result.GetDouble(3):R}"));
        }

        Console.Error.WriteLine($"  models: {clock.Elapsed.TotalSeconds:F2} s");
        return lines;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>One process's wall time, CPU time (user + system) and peak resident memory, and what it printed.</summary>
    private sealed record Measure(double Wall, double Cpu, double PeakMb, string Output)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Wall:F2} s wall, {Cpu:F2} s CPU, {PeakMb:F0} MB");

        /// <summary>Runs a process to its end, reading its CPU time and peak memory from /proc while it runs.</summary>
        public static Measure Process(string file, string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            double cpu = 0, peak = 0;
            while (!process.WaitForExit(20))
            {
                (cpu, peak) = Read(process.Id, cpu, peak);
            }

            var wall = clock.Elapsed.TotalSeconds;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {errors.Result}");
            }

            return new Measure(wall, cpu, peak, output.Result);
        }

        private static (double Cpu, double PeakMb) Read(int pid, double cpu, double peak)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                cpu = Math.Max(cpu, ticks / 100.0);
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peak = Math.Max(peak, double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
                    }
                }
            }
            catch (IOException)
            {
                // The process ended between two reads.
            }
            catch (UnauthorizedAccessException)
            {
            }

            return (cpu, peak);
        }
    }
}
