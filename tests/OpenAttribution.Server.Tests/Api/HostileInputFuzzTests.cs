using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OpenAttribution.Server.Tests.Support;

namespace OpenAttribution.Server.Tests.Api;

/// <summary>
/// What anyone holding the public write key can send: batches mixing good events with hostile ones
/// (values that overflow sums, out-of-calendar dates, lone surrogates, invalid UTF-8, NUL, nesting
/// past the parser's depth, objects where text belongs, huge fields, truncated JSON, random bytes) and
/// odd but valid ones (refunds, names such as <c>__proto__</c>, values at the bound). Every good and odd
/// event is stored, every hostile one is rejected by its index, and every report of the workspace
/// stays a 200 whose totals are the stored conversions and their value.
/// </summary>
public sealed class HostileInputFuzzTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly string[] Models = ["last-touch", "first-touch", "last-non-direct", "linear", "time-decay", "position-based", "markov", "shapley"];

    private readonly ServerFactory _factory = server.Factory;

    /// <summary>Events that must be rejected, each one line of JSON Lines.</summary>
    private static readonly Func<Random, byte[]>[] Hostile =
    [
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"h","value":1.7976931348623157e308}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"h","value":-1e13}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"h","value":"NaN"}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"h","value":"Infinity"}"""),
        _ => Line("""{"timestamp":"9999-12-31T00:00:00Z","type":"touch","anonymous_id":"h"}"""),
        _ => Line("""{"timestamp":"0001-01-01T00:00:00Z","type":"touch","anonymous_id":"h"}"""),
        _ => Line("""{"timestamp":"2026-02-30T00:00:00Z","type":"touch","anonymous_id":"h"}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"touch","anonymous_id":"h","campaign":"\ud800"}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"touch","anonymous_id":"h","\udc00x":"1"}"""),
        _ => [.. "{\"timestamp\":\"2026-03-02T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"h\",\"source\":\"a"u8, 0xFF, 0xFE, .. "\"}\n"u8],
        _ => [.. "{\"timestamp\":\"2026-03-02T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"h\",\"source\":\"a"u8, 0xE2, 0x82, .. "\"}\n"u8],
        _ => [.. "{\"timestamp\":\"2026-03-02T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"h\",\"medium\":\"a"u8, 0x00, .. "\"}\n"u8],
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"touch","anonymous_id":"h","campaign":{"$gt":""}}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"touch","anonymous_id":["h"]}"""),
        _ => Line("{\"timestamp\":\"2026-03-02T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"h\",\"x\":" + new string('[', 200) + new string(']', 200) + "}"),
        _ => Line("{\"timestamp\":\"2026-03-02T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"h\",\"campaign\":\"" + new string('c', 20_000) + "\"}"),
        _ => Line("{\"timestamp\":\"2026-03-02T00:00:00Z\",\"type\":\"touch\",\"anonymous_id\":\"" + new string('a', 2_000) + "\"}"),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"touch","anonymous_id":"h","campaign":"trunc"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"purchase","anonymous_id":"h"}"""),
        _ => Line("""{"timestamp":"2026-03-02T00:00:00Z","type":"touch"}"""),
        _ => Line("""[1,2,3]"""),
        _ => Line("""null"""),
        r => [.. Enumerable.Range(0, r.Next(1, 60)).Select(_ => (byte)r.Next(1, 256)).Where(b => b != (byte)'\n' && b is not ((byte)' ' or (byte)'\t' or (byte)'\r')).Prepend((byte)'~'), (byte)'\n'],
    ];

    /// <summary>Events that look odd but are valid: stored like any other.</summary>
    private static readonly Func<Random, int, byte[]>[] Odd =
    [
        (_, i) => Line($$"""{"timestamp":"2026-03-03T00:00:00Z","type":"touch","anonymous_id":"o{{i}}","campaign":"__proto__","source":"constructor","medium":"toString"}"""),
        (_, i) => Line($$"""{"timestamp":"2026-03-03T01:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"o{{i}}","value":-500}"""),
        (_, i) => Line($$"""{"timestamp":"2026-03-03T02:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"o{{i}}","value":1e12}"""),
        (_, i) => Line($$"""{"timestamp":"2026-03-03T00:00:00Z","type":"touch","anonymous_id":"o{{i}}","campaign":"<script>alert(1)</script>","referrer":"javascript:alert(1)"}"""),
        (_, i) => Line($$"""{"timestamp":"1970-01-01T00:00:00Z","type":"touch","anonymous_id":"o{{i}}","campaign":"\u00e9t\u00e9 \ud83d\ude00"}"""),
        (_, i) => Line($$"""{"timestamp":"2199-12-31T23:59:59Z","type":"touch","anonymous_id":"o{{i}}","campaign":"{{new string('c', 1024)}}"}"""),
    ];

    [Property(MaxTest = 25)]
    public Property EveryGoodEventOfAHostileBatchIsStoredAndEveryReportStaysGood() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed => Check(seed).GetAwaiter().GetResult());

    private async Task<bool> Check(int seed)
    {
        var random = new Random(seed);
        var ws = _factory.CreateWorkspace();
        var body = new MemoryStream();
        var rejected = new List<long>();
        long index = 0, stored = 0, conversions = 0;
        double value = 0;
        for (var n = random.Next(5, 40); n > 0; n--, index++)
        {
            switch (random.Next(4))
            {
                case 0:
                    body.Write(Hostile[random.Next(Hostile.Length)](random));
                    rejected.Add(index);
                    break;
                case 1:
                    var odd = random.Next(Odd.Length);
                    body.Write(Odd[odd](random, (int)index));
                    stored++;
                    (conversions, value) = odd switch
                    {
                        1 => (conversions + 1, value - 500),
                        2 => (conversions + 1, value + 1e12),
                        _ => (conversions, value),
                    };
                    break;
                default:
                    var cents = random.Next(-100, 100_000);
                    var conversion = random.Next(3) == 0;
                    body.Write(Line(conversion
                        ? $$"""{"event_id":"g{{index}}","timestamp":"2026-03-04T0{{random.Next(10)}}:00:00Z","type":"conversion","conversion":"purchase","anonymous_id":"p{{random.Next(8)}}","value":{{(cents / 100.0).ToString(CultureInfo.InvariantCulture)}}}"""
                        : $$"""{"event_id":"g{{index}}","timestamp":"2026-03-04T0{{random.Next(10)}}:00:00Z","type":"touch","anonymous_id":"p{{random.Next(8)}}","source":"s{{random.Next(5)}}","medium":"cpc","campaign":"c{{random.Next(50)}}"}"""));
                    stored++;
                    if (conversion)
                    {
                        conversions++;
                        value += cents / 100.0;
                    }

                    break;
            }
        }

        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new("application/x-ndjson");
        var response = await _factory.ClientWithKey(ws.WriteKey).PostAsync("/v1/events", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"seed {seed}: POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var answer = await Json.ReadAsync(response);
        var rejectedIndices = answer.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt64()).ToList();
        if (answer.GetProperty("accepted").GetInt64() != stored || !rejectedIndices.SequenceEqual(rejected))
        {
            throw new InvalidOperationException($"seed {seed}: accepted {answer.GetProperty("accepted")} of {stored}; rejected [{string.Join(",", rejectedIndices)}], expected [{string.Join(",", rejected)}]");
        }

        var read = _factory.ClientWithKey(ws.ReadKey);
        foreach (var by in new[] { "channel", "campaign", "source" })
        {
            var compare = await read.GetAsync($"/v1/reports/compare?by={by}&lookback=90d&models={string.Join(",", Models)}");
            var paths = await read.GetAsync($"/v1/reports/paths?by={by}&lookback=90d");
            if (compare.StatusCode != HttpStatusCode.OK || paths.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"seed {seed}, by {by}: compare {(int)compare.StatusCode} {await compare.Content.ReadAsStringAsync()}; paths {(int)paths.StatusCode}");
            }

            var rows = (await Json.ReadAsync(compare)).GetProperty("rows").EnumerateArray().ToList();
            foreach (var model in Models)
            {
                var mine = rows.Where(r => r.GetProperty("model").GetString() == model).ToList();
                var c = mine.Sum(r => r.GetProperty("conversions").GetDouble());
                var v = mine.Sum(r => r.GetProperty("value").GetDouble());
                if (Math.Abs(c - conversions) > 1e-6 || Math.Abs(v - value) > 1e-9 * Math.Max(1, Math.Abs(value)) + 1e-6)
                {
                    throw new InvalidOperationException($"seed {seed}, by {by}, {model}: {c} conversions worth {v}, expected {conversions} worth {value}");
                }
            }
        }

        return true;
    }

    private static byte[] Line(string json) => Encoding.UTF8.GetBytes(json + "\n");
}
