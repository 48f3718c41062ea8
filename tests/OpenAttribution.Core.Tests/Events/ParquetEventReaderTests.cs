using OpenAttribution.Core.Events;
using Parquet;
using Parquet.Schema;

namespace OpenAttribution.Core.Tests.Events;

public class ParquetEventReaderTests
{
    [Fact]
    public async Task ReadsStringAndTypedColumnsAndReportsBadRowsByRowNumber()
    {
        var timestamp = new DataField<DateTime>("timestamp");
        var user = new DataField<string>("user_id");
        var type = new DataField<string>("type");
        var channel = new DataField<string>("Channel");
        var conversion = new DataField<string>("conversion");
        var value = new DataField<double?>("value");
        var schema = new ParquetSchema(timestamp, user, type, channel, conversion, value);
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            using var group = writer.CreateRowGroup();
            DateTime[] times =
            [
                new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc),
            ];
            await group.WriteAsync(timestamp, new ReadOnlyMemory<DateTime>(times));
            await group.WriteAsync(user, new[] { "u1", "u1", "u1" });
            await group.WriteAsync(type, new[] { "touch", "conversion", "visit" });
            await group.WriteAsync(channel, new[] { "Email", null!, null! });
            await group.WriteAsync(conversion, new[] { null!, "purchase", null! });
            await group.WriteAsync(value, new ReadOnlyMemory<double?>([null, 42.5, null]));
        }

        using var file = new MemoryStream(stream.ToArray());
        var builder = new EventTableBuilder();
        var summary = await ParquetEventReader.ReadAsync(file, builder);
        var table = builder.Build();

        Assert.Equal(new ReadSummary(3, 2, 1), summary);
        Assert.Equal(new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc).Ticks, table.Timestamps[0]);
        Assert.Equal("Email", table.Names.Channels[table.Channels[0]]);
        Assert.Equal(42.5, table.Values[1]);
        var error = Assert.Single(builder.Errors);
        Assert.Equal((3L, "type", "visit"), (error.Line, error.Field, error.Value));
    }
}
