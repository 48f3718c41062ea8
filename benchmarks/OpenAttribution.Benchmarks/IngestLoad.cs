using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// <c>ingest --url URL --key WRITE_KEY [--clients 8] [--seconds 20] [--batch 100]</c>: a load tool for
/// <c>POST /v1/events</c> on a running server. Each client sends batches of unique events (JSON arrays)
/// back to back, retrying a 503 after its Retry-After; at the end it prints the sustained rate of
/// acknowledged events, request latency percentiles, and checks through <c>GET /v1/workspace</c> that
/// the store holds exactly the acknowledged events (none lost, none doubled).
/// </summary>
internal static class IngestLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = HarnessOptions.Parse(args);
        var url = new Uri(options.GetValueOrDefault("--url") ?? throw new ArgumentException("ingest needs --url http://127.0.0.1:PORT"));
        var key = options.GetValueOrDefault("--key") ?? throw new ArgumentException("ingest needs --key WRITE_KEY");
        var clients = int.Parse(options.GetValueOrDefault("--clients") ?? "8", CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.GetValueOrDefault("--seconds") ?? "20", CultureInfo.InvariantCulture);
        var batch = int.Parse(options.GetValueOrDefault("--batch") ?? "100", CultureInfo.InvariantCulture);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseCookies = false }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var before = await StoredEvents(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"ingest: {clients} clients, batches of {batch} events, {seconds:0} s against {url} (store has {before:N0} events)");

        var stop = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(http, run, c, batch, TimeSpan.FromSeconds(seconds)))));
        var elapsed = stop.Elapsed.TotalSeconds;

        var sent = results.Sum(r => r.Sent);
        var accepted = results.Sum(r => r.Accepted);
        var duplicates = results.Sum(r => r.Duplicates);
        var refused = results.Sum(r => r.Refused);
        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var after = await StoredEvents(http);
        Console.WriteLine($"requests: {latencies.Length:N0} acknowledged, {refused:N0} refused with 503 and retried");
        Console.WriteLine($"events: {sent:N0} sent, {accepted:N0} accepted, {duplicates:N0} duplicates in {elapsed:0.0} s = {accepted / elapsed:N0} events/s");
        Console.WriteLine($"latency per request: p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms");
        var ok = after - before == accepted && accepted == sent && duplicates == 0;
        Console.WriteLine($"count check: the store grew by {after - before:N0} events; {(ok ? "every acknowledged event is stored, none lost" : "MISMATCH")}");
        return ok ? 0 : 1;
    }

    private sealed record ClientResult(long Sent, long Accepted, long Duplicates, long Refused, List<double> Latencies);

    private static async Task<ClientResult> Client(HttpClient http, string run, int client, int batch, TimeSpan duration)
    {
        var latencies = new List<double>();
        long sent = 0, accepted = 0, duplicates = 0, refused = 0, seq = 0;
        var clock = Stopwatch.StartNew();
        var random = new Random(client);
        var body = new StringBuilder(batch * 300);
        while (clock.Elapsed < duration)
        {
            Build(body, run, client, ref seq, batch, random);
            var bytes = Encoding.UTF8.GetBytes(body.ToString());
            while (true)
            {
                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/v1/events", content);
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused++;
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }

                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                accepted += json.RootElement.GetProperty("accepted").GetInt64();
                duplicates += json.RootElement.GetProperty("duplicates").GetInt64();
                latencies.Add(ms);
                sent += batch;
                break;
            }
        }

        return new ClientResult(sent, accepted, duplicates, refused, latencies);
    }

    /// <summary>A JSON array of <paramref name="batch"/> events: visits from campaigns, one in ten a purchase.</summary>
    private static void Build(StringBuilder body, string run, int client, ref long seq, int batch, Random random)
    {
        string[] sources = ["google", "newsletter", "facebook", "bing", "partner"];
        string[] mediums = ["cpc", "email", "paid_social", "cpc", "referral"];
        var now = DateTime.UtcNow;
        body.Clear().Append('[');
        for (var i = 0; i < batch; i++)
        {
            var n = seq++;
            var visitor = $"{run}-{client}-{n / 10}";
            var ts = now.AddSeconds(-random.Next(0, 86_400 * 20)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            if (i > 0)
            {
                body.Append(',');
            }

            if (n % 10 == 9)
            {
                body.Append(CultureInfo.InvariantCulture, $$"""{"event_id":"{{run}}-{{client}}-{{n}}","timestamp":"{{ts}}","anonymous_id":"{{visitor}}","type":"conversion","conversion":"purchase","value":"{{random.Next(10, 200)}}.90"}""");
            }
            else
            {
                var s = random.Next(sources.Length);
                body.Append(CultureInfo.InvariantCulture, $$"""{"event_id":"{{run}}-{{client}}-{{n}}","timestamp":"{{ts}}","anonymous_id":"{{visitor}}","type":"touch","url":"https://shop.example/landing?utm_source={{sources[s]}}&utm_medium={{mediums[s]}}&utm_campaign=spring-{{s}}","referrer":"https://www.{{sources[s]}}.com/"}""");
            }
        }

        body.Append(']');
    }

    private static async Task<long> StoredEvents(HttpClient http)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/workspace"));
        return json.RootElement.GetProperty("events").GetInt64();
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
