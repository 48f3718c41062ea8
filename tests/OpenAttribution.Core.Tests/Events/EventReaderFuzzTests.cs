using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Tests.Events;

/// <summary>
/// Event files with a few rows damaged at random (bytes inserted, deleted or replaced: quotes,
/// separators, CR, LF, NUL, invalid and truncated UTF-8, braces, backslashes; the file cut short),
/// with or without a BOM and CRLF line ends, read the way the CLI reads a file (bytes through a UTF-8
/// StreamReader). The readers never throw; every row is accepted or rejected with errors naming its
/// line of the file; every row left intact is accepted as written, whatever its neighbours became.
/// </summary>
public class EventReaderFuzzTests
{
    private static readonly string[] CsvCampaigns = ["spring", "\"spring, sale\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "été", ""];
    private static readonly string[] CsvCampaignValues = ["spring", "spring, sale", "say \"hi\"", "two\nlines", "été", ""];
    private static readonly string[] JsonCampaigns = ["spring", "spring, sale", "say \\\"hi\\\"", "two\\nlines", "été", "\\u00e9t\\u00e9", ""];
    private static readonly string[] JsonCampaignValues = ["spring", "spring, sale", "say \"hi\"", "two\nlines", "été", "été", ""];
    private static readonly byte[] Noise = [(byte)'"', (byte)',', (byte)'\r', (byte)'\n', 0x00, 0xFF, 0xC3, 0xE2, 0x80, (byte)'{', (byte)'}', (byte)'\\', (byte)'[', (byte)':', (byte)' '];

    [Property(MaxTest = 400)]
    public Property DamagedCsvRowsAreRejectedAndIntactRowsKept() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed => Check(seed, json: false));

    [Property(MaxTest = 400)]
    public Property DamagedJsonLinesRowsAreRejectedAndIntactRowsKept() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed => Check(seed, json: true));

    [Fact]
    public void ALoneSurrogateEscapeIsThatLinesRejection()
    {
        var text = string.Join("\n",
            """{"event_id":"a","timestamp":"2026-03-01T09:30:00Z","user_id":"u1","type":"touch","campaign":"\ud800"}""",
            """{"event_id":"b","timestamp":"2026-03-01T09:30:00Z","user_id":"u1","type":"touch","campaign":"ok"}""",
            """{"event_id":"c","timestamp":"2026-03-01T09:30:00Z","user_id":"u1","type":"touch","\udfff":"x"}""");
        var sink = new Sink();
        var summary = JsonLinesEventReader.Read(new StringReader(text), sink);

        Assert.Equal(new ReadSummary(3, 1, 2), summary);
        Assert.Equal(["b"], sink.Accepted.Keys);
        Assert.Equal((1L, "campaign"), (sink.Errors[0].Line, sink.Errors[0].Field));
        Assert.Equal((3L, "(json)"), (sink.Errors[1].Line, sink.Errors[1].Field));
        Assert.All(sink.Errors, e => Assert.Contains("not valid text", e.Reason));
    }

    private static Property Check(int seed, bool json)
    {
        var random = new Random(seed);
        var rowCount = random.Next(1, 40);
        var rows = new List<byte[]>();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < rowCount; i++)
        {
            var id = "id-" + random.NextInt64(1L << 40, 1L << 44).ToString("x", CultureInfo.InvariantCulture);
            var time = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(0, 86_400 * 30)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var c = random.Next(json ? JsonCampaigns.Length : CsvCampaigns.Length);
            var conversion = random.Next(5) == 0;
            var value = (random.Next(0, 10_000) / 100.0).ToString(CultureInfo.InvariantCulture);
            string line;
            if (json)
            {
                line = conversion
                    ? $$"""{"event_id":"{{id}}","timestamp":"{{time}}","user_id":"u{{i % 5}}","type":"conversion","conversion":"purchase","value":{{value}},"campaign":"{{JsonCampaigns[c]}}"}"""
                    : $$"""{"event_id":"{{id}}","timestamp":"{{time}}","anonymous_id":"a{{i % 7}}","type":"touch","source":"google","medium":"cpc","campaign":"{{JsonCampaigns[c]}}"}""";
                expected[id] = JsonCampaignValues[c];
            }
            else
            {
                line = conversion
                    ? $"{id},{time},u{i % 5},,conversion,,,,{CsvCampaigns[c]},,,,,purchase,{value}"
                    : $"{id},{time},,a{i % 7},touch,,google,cpc,{CsvCampaigns[c]},,,,,,";
                expected[id] = CsvCampaignValues[c];
            }

            rows.Add(Encoding.UTF8.GetBytes(line));
        }

        // Damage a few rows; cutting the file short loses the rows after the cut too.
        var damaged = new bool[rowCount];
        var cut = rowCount;
        for (var n = random.Next(0, 5); n > 0; n--)
        {
            var r = random.Next(rowCount);
            damaged[r] = true;
            rows[r] = Damage(rows[r], random);
        }

        if (random.Next(5) == 0)
        {
            cut = random.Next(rowCount);
            damaged[cut] = true;
            rows[cut] = rows[cut][..random.Next(rows[cut].Length)];
        }

        var newline = random.Next(3) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
        var file = new MemoryStream();
        if (random.Next(3) == 0)
        {
            file.Write([0xEF, 0xBB, 0xBF]);
        }

        if (!json)
        {
            file.Write(Encoding.UTF8.GetBytes(Support.Some.Header));
            file.Write(newline);
        }

        for (var i = 0; i <= Math.Min(cut, rowCount - 1); i++)
        {
            file.Write(rows[i]);
            if (i < cut)
            {
                file.Write(newline);
            }
        }

        var bytes = file.ToArray();
        var physicalLines = bytes.Count(b => b == (byte)'\n') + 1;
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var sink = new Sink();
        var summary = json ? JsonLinesEventReader.Read(reader, sink) : CsvEventReader.Read(reader, sink);

        var lost = Enumerable.Range(0, Math.Min(cut, rowCount))
            .Where(i => !damaged[i])
            .Select(i => Encoding.UTF8.GetString(rows[i]).Split(json ? ',' : ',')[0])
            .Select(field => json ? field["{\"event_id\":\"".Length..^1] : field)
            .Where(id => !sink.Accepted.TryGetValue(id, out var campaign) || campaign != expected[id])
            .ToList();
        var badLines = sink.Errors.Where(e => e.Line < 1 || e.Line > physicalLines || string.IsNullOrEmpty(e.Field)).ToList();
        return (summary.Rows == summary.Valid + summary.Rejected).Label($"rows {summary}")
            .And(sink.Accepts == summary.Valid).Label($"accepted {sink.Accepts} of {summary}")
            .And(sink.Errors.Select(e => e.Line).Distinct().Count() == summary.Rejected).Label($"errors on {sink.Errors.Select(e => e.Line).Distinct().Count()} lines for {summary}")
            .And(badLines.Count == 0).Label($"errors naming no line of the file: {string.Join("; ", badLines)}")
            .And(lost.Count == 0).Label($"intact rows lost or changed: {string.Join(", ", lost)}; errors: {string.Join("; ", sink.Errors)}");
    }

    private static byte[] Damage(byte[] row, Random random)
    {
        var bytes = row.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(bytes.Count + 1);
            var b = random.Next(4) == 0 ? (byte)random.Next(256) : Noise[random.Next(Noise.Length)];
            switch (random.Next(3))
            {
                case 0:
                    bytes.Insert(at, b);
                    break;
                case 1 when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                default:
                    if (at < bytes.Count)
                    {
                        bytes[at] = b;
                    }
                    else
                    {
                        bytes.Add(b);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private sealed class Sink : IEventSink
    {
        public Dictionary<string, string> Accepted { get; } = [];

        public long Accepts { get; private set; }

        public List<InputError> Errors { get; } = [];

        public void Accept(in EventRow row)
        {
            Accepts++;
            Accepted.TryAdd(row.EventId.ToString(), row.Campaign.ToString());
        }

        public void Reject(InputError error) => Errors.Add(error);
    }
}
