using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OpenAttribution.Core.Events;
using OpenAttribution.Core.Generation;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Tests.Events;

/// <summary>
/// The parallel reader gives the table one reader gives (<see cref="EventTableBuilder"/> over
/// <see cref="CsvEventReader"/> or <see cref="JsonLinesEventReader"/>), array for array, with the same
/// rejections and line numbers, however the text is cut into parts: records over line breaks across a
/// cut, duplicates in other parts, rejected rows, blank lines, CRLF, a byte order mark, no last line break.
/// </summary>
public class ParallelEventReaderTests
{
    private const string Header = "event_id,timestamp,user_id,anonymous_id,type,channel,source,medium,campaign,content,term,referrer,url,conversion,value";

    [Theory]
    [InlineData(97)]
    [InlineData(1000)]
    [InlineData(1 << 14)]
    public void GeneratedEventsReadInPartsEqualOneReader(int partBytes)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        EventGenerator.Write(writer, new GeneratorOptions { People = 300, Seed = 4 });
        SameAsOneReader(Encoding.UTF8.GetBytes(writer.ToString()), partBytes);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(4096)]
    public void GeneratedJsonLinesReadInPartsEqualOneReader(int partBytes)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        EventGenerator.Write(writer, new GeneratorOptions { People = 200, Seed = 9, JsonLines = true });
        SameAsOneReader(Encoding.UTF8.GetBytes(writer.ToString()), partBytes, json: true);
    }

    [Property(MaxTest = 200)]
    public Property RandomJsonLinesEqualOneReader() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var text = new StringBuilder(random.Next(4) == 0 ? "\uFEFF" : "");
            var rows = random.Next(0, 30);
            for (var i = 0; i < rows; i++)
            {
                var id = random.Next(4) == 0 && i > 0 ? "e" + random.Next(i) : "e" + i;
                var minute = random.Next(0, 10_000);
                var time = random.Next(12) == 0 ? "soon" : new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                text.Append(random.Next(6) switch
                {
                    0 => $$"""{"event_id":"{{id}}","timestamp":"{{time}}","user_id":"u{{random.Next(5)}}","type":"conversion","conversion":"buy","value":{{random.Next(-3, 50)}}}""",
                    1 => $$"""{"event_id":"{{id}}","timestamp":"{{time}}","user_id":"u{{random.Next(5)}}","anonymous_id":"a{{random.Next(8)}}","type":"identify"}""",
                    2 => "{\"event_id\":\"" + id + "\",\"timestamp\":",
                    _ => $$"""{"event_id":"{{id}}","timestamp":"{{time}}","anonymous_id":"a{{random.Next(8)}}","type":"touch","url":"https://shop.example.com/?utm_source=s{{random.Next(3)}}&utm_medium=cpc","campaign":"{{(random.Next(3) == 0 ? "été" : "x")}}"}""",
                });
                text.Append(random.Next(6) == 0 ? "\r\n" : "\n");
                if (random.Next(8) == 0)
                {
                    text.Append("  \n");
                }
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            SameAsOneReader(bytes, random.Next(1, Math.Max(2, bytes.Length / 2)), json: true);
        });

    [Fact]
    public void TrickyTextEqualsOneReaderAtEveryCut()
    {
        var text = string.Join("\n",
            Header,
            "e1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,\"spring,\nsale\",,,,,,",
            "e2,2026-03-01T09:05:00Z,u1,a1,identify,,,,,,,,,,",
            "",
            "e3,2026-03-01T09:10:00Z,u1,,conversion,,,,,,,,,purchase,12.5",
            "e1,2026-03-01T09:15:00Z,,a9,touch,,only-in-a-duplicate,cpc,x,,,,,,",
            "e4,not-a-time,u2,,touch,,bing,cpc,,,,,,,",
            "e5,2026-03-02T10:00:00Z,u2,,touch,,,,\"never closed,,,,,,",
            "e6,2026-03-02T11:00:00Z,,a2,touch,,,,,,,https://www.google.com/,https://shop.example.com/?gclid=abc,,",
            "e7,2026-03-02T12:00:00Z,,a2,touch,,,,,,,,https://shop.example.com/?utm_source=news&utm_medium=email&gclid=1,,\r",
            "e8,2026-03-03T12:00:00Z,u3,a3,conversion,,,,\"three\nline\nfield\",,,,,signup,",
            "e3,2026-03-03T12:30:00Z,u1,,conversion,,,,,,,,,purchase,99",
            "e9,2026-03-04T08:00:00Z,,a4,touch,Email,,,,,,,,,",
            "e10,2026-03-04T09:00:00Z,u4,,conversion,,,,,,,,,refund,-5");
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var partBytes = 1; partBytes <= bytes.Length + 1; partBytes += partBytes < 40 ? 1 : 7)
        {
            SameAsOneReader(bytes, partBytes);
        }
    }

    /// <summary>
    /// Lines ending in two CRs (a CRLF file converted once more) after a rejected record over several
    /// lines: the lines given back are read again with their CR, so each drops one CR, as when read the
    /// first time (a part that starts among them reads them so), and the rejections show the same lines.
    /// </summary>
    [Fact]
    public void DoubledCarriageReturnsAfterARejectedRecordReadAsFirstRead()
    {
        var text = Header + "\r\n"
            + "e1,2026-03-01T09:00:00Z,u1,,touch,,google,cpc,\"open,,,,,,\r\r\n"
            + "e2,2026-03-01T09:01:00Z,u1,,touch,,google,cpc,\"open again,,,,,,\r\r\n"
            + "e3,2026-03-01T09:02:00Z,u1,,touch,,bing,cpc,,,,,,,\r\r\n"
            + "e4,2026-03-01T09:03:00Z,u1,,conversion,,,,,,,,,buy,5\r\r\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var (_, one) = SameAsOneReader(bytes, bytes.Length + 1);
        Assert.Equal(2, one.Errors.Count);
        Assert.EndsWith("\"open again,,,,,,\r", one.Errors[1].Value, StringComparison.Ordinal);
        for (var partBytes = 1; partBytes <= bytes.Length; partBytes++)
        {
            SameAsOneReader(bytes, partBytes);
        }
    }

    [Fact]
    public void ByteOrderMarkAndLastLineWithoutBreak()
    {
        var text = "\uFEFF" + Header + "\r\ne1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,,,,,,,\r\ne2,2026-03-01T09:00:01Z,u1,,conversion,,,,,,,,,buy,1";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var partBytes = 1; partBytes < bytes.Length; partBytes++)
        {
            var (parallel, _) = SameAsOneReader(bytes, partBytes);
            Assert.Equal(2, parallel.Events.Count);
        }
    }

    [Fact]
    public void HeaderOnlyAndEmptyTexts()
    {
        Assert.Equal(0, SameAsOneReader(Encoding.UTF8.GetBytes(Header + "\n"), 4).Parallel.Events.Count);
        Assert.Equal(0, SameAsOneReader([], 4).Parallel.Events.Count);
        Assert.Throws<FormatException>(() => Read(Encoding.UTF8.GetBytes("a,b\n1,2\n"), 2));
    }

    [Fact]
    public void AUtf16TextIsReadByOneReader()
    {
        var text = Header + "\ne1,2026-03-01T09:00:00Z,,a1,touch,,google,cpc,,,,,,,\n";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        var (parallel, _) = SameAsOneReader(bytes, 8);
        Assert.Equal(1, parallel.Events.Count);
    }

    [Property(MaxTest = 300)]
    public Property RandomTextsEqualOneReader() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var bytes = Encoding.UTF8.GetBytes(RandomText(random));
            SameAsOneReader(bytes, random.Next(1, Math.Max(2, bytes.Length / 2)));
        });

    private static readonly string[] Campaigns = ["spring", "\"spring, sale\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"open", "été", "", "\"a\n\n\nb\""];

    private static readonly string[] Urls =
        ["", "https://shop.example.com/", "https://shop.example.com/p?utm_source=news&utm_medium=email", "https://shop.example.com/?gclid=X1", "https://shop.example.com/?fbclid=%20", "shop?x"];

    /// <summary>Rows of every kind, some repeating an earlier id, some broken, with blank lines and CRLF.</summary>
    private static string RandomText(Random random)
    {
        var text = new StringBuilder(Header).Append(random.Next(3) == 0 ? "\r\n" : "\n");
        var rows = random.Next(0, 40);
        for (var i = 0; i < rows; i++)
        {
            var id = random.Next(4) == 0 && i > 0 ? "e" + random.Next(i) : "e" + i;
            var time = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 10_000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            if (random.Next(15) == 0)
            {
                time = "yesterday";
            }

            var campaign = Campaigns[random.Next(Campaigns.Length)];
            var url = Urls[random.Next(Urls.Length)];
            var line = random.Next(5) switch
            {
                0 => $"{id},{time},u{random.Next(6)},,conversion,,,,{campaign},,,,,{(random.Next(2) == 0 ? "buy" : "sign up")},{random.Next(-5, 100)}",
                1 => $"{id},{time},u{random.Next(6)},a{random.Next(9)},identify,,,,,,,,,,",
                _ => $"{id},{time},,a{random.Next(9)},touch,{(random.Next(6) == 0 ? "Email" : "")},{(random.Next(3) == 0 ? "google" : "")},,{campaign},,,{(random.Next(4) == 0 ? "https://www.bing.com/" : "")},{url},,",
            };
            text.Append(line).Append(random.Next(8) == 0 ? "\r\n" : "\n");
            if (random.Next(10) == 0)
            {
                text.Append('\n');
            }
        }

        return random.Next(4) == 0 && text.Length > 0 && text[^1] == '\n' ? text.ToString(0, text.Length - 1) : text.ToString();
    }

    private static ParallelEventReader.Result Read(byte[] bytes, int partBytes, bool json = false, Action<InputError>? onReject = null)
    {
        Stream Open(long offset) => new MemoryStream(bytes, (int)offset, bytes.Length - (int)offset, writable: false);
        return ParallelEventReader.Read(bytes.Length, Open, json, onReject: onReject, partBytes: partBytes);
    }

    private static (ParallelEventReader.Result Parallel, EventTableBuilder One) SameAsOneReader(byte[] bytes, int partBytes, bool json = false)
    {
        var one = new EventTableBuilder();
        var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var summary = json ? JsonLinesEventReader.Read(text, one) : CsvEventReader.Read(text, one);
        var expected = one.Build();
        var seen = new List<InputError>();
        var parallel = Read(bytes, partBytes, json, seen.Add);

        var because = $"{(json ? "JSON Lines" : "CSV")} in parts of {partBytes} bytes";
        Assert.True(summary == parallel.Summary, $"{because}: {summary} against {parallel.Summary}");
        Assert.True(one.Duplicates == parallel.Duplicates, because);
        Assert.True(one.Errors.Select(e => e.ToString()).SequenceEqual(parallel.Errors.Select(e => e.ToString())), $"{because}: errors differ:\n{string.Join("\n", one.Errors)}\n--\n{string.Join("\n", parallel.Errors)}");
        Assert.True(parallel.Errors.SequenceEqual(seen), because);
        var actual = parallel.Events;
        Assert.True(expected.Count == actual.Count, $"{because}: {expected.Count} rows against {actual.Count}");
        Same(expected.Timestamps, actual.Timestamps, "timestamps");
        Same(expected.Types, actual.Types, "types");
        Same(expected.Users, actual.Users, "users");
        Same(expected.Anonymous, actual.Anonymous, "anonymous ids");
        Same(expected.Channels, actual.Channels, "channels");
        Same(expected.Sources, actual.Sources, "sources");
        Same(expected.Mediums, actual.Mediums, "mediums");
        Same(expected.Campaigns, actual.Campaigns, "campaigns");
        Same(expected.Conversions, actual.Conversions, "conversions");
        Same(expected.Values, actual.Values, "values");
        Assert.True(expected.Names.Users.Count == actual.Names.Users.Count, because);
        Assert.True(expected.Names.AnonymousIds.Count == actual.Names.AnonymousIds.Count, because);
        Same(expected.Names.Channels.Names.ToArray(), actual.Names.Channels.Names.ToArray(), "channel names");
        Same(expected.Names.Sources.Names.ToArray(), actual.Names.Sources.Names.ToArray(), "source names");
        Same(expected.Names.Mediums.Names.ToArray(), actual.Names.Mediums.Names.ToArray(), "medium names");
        Same(expected.Names.Campaigns.Names.ToArray(), actual.Names.Campaigns.Names.ToArray(), "campaign names");
        Same(expected.Names.ConversionNames.Names.ToArray(), actual.Names.ConversionNames.Names.ToArray(), "conversion names");

        // The ids' tables, built from the hashes by id, answer as one reader's do.
        for (var i = 0; i < 10; i++)
        {
            Assert.True(expected.Names.Users.Intern("u" + i) == actual.Names.Users.Intern("u" + i), because);
            Assert.True(expected.Names.AnonymousIds.Intern("a" + i) == actual.Names.AnonymousIds.Intern("a" + i), because);
        }

        return (parallel, one);

        void Same<T>(T[] a, T[] b, string what) => Assert.True(a.AsSpan().SequenceEqual(b), $"{because}: {what} differ");
    }
}
