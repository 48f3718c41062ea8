using System.Globalization;
using OpenAttribution.Core.Text;
using Parquet;
using Parquet.Schema;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Streams events from Parquet, one row group at a time (spec section 1): columns named like the
/// event fields, strings or numbers; <c>timestamp</c> may be a string or a timestamp column (taken
/// as UTC). A row's "line" is its 1-based row number in the file.
/// </summary>
public static class ParquetEventReader
{
    public static ReadSummary Read(Stream stream, IEventSink sink) => ReadAsync(stream, sink).GetAwaiter().GetResult();

    public static async Task<ReadSummary> ReadAsync(Stream stream, IEventSink sink)
    {
        var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true).ConfigureAwait(false);
        await using var disposeReader = reader.ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var map = new DataField?[EventFields.Count];
        foreach (var f in fields)
        {
            if (EventFields.FromName(f.Name) is { } ef && map[(int)ef] is null)
            {
                map[(int)ef] = f;
            }
        }

        if (map[(int)EventField.Timestamp] is null || map[(int)EventField.Type] is null ||
            (map[(int)EventField.UserId] is null && map[(int)EventField.AnonymousId] is null))
        {
            throw new FormatException(
                $"the Parquet schema ({string.Join(", ", fields.Select(f => f.Name))}) lacks timestamp, type, or user_id/anonymous_id; expected columns: {string.Join(",", EventFields.AllNames)}");
        }

        long rows = 0, valid = 0;
        var values = new string?[EventFields.Count];
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var columns = new string?[]?[EventFields.Count];
            for (var i = 0; i < map.Length; i++)
            {
                if (map[i] is { } field)
                {
                    columns[i] = await ReadAsText(group, field, count).ConfigureAwait(false);
                }
            }

            for (var r = 0; r < count; r++)
            {
                rows++;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = columns[i]?[r];
                }

                var raw = new Row(rows, values);
                if (EventValidator.Validate(ref raw, sink))
                {
                    valid++;
                }
            }
        }

        return new ReadSummary(rows, valid, rows - valid);
    }

    /// <summary>One column of a row group as text, whatever its Parquet type.</summary>
    private static async Task<string?[]> ReadAsText(ParquetRowGroupReader group, DataField field, int count)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await group.ReadAsync(field, strings.AsMemory(), null).ConfigureAwait(false);
            return strings;
        }

        return type switch
        {
            _ when type == typeof(DateTime) => await ReadStruct<DateTime>(group, field, count).ConfigureAwait(false),
            _ when type == typeof(DateTimeOffset) => await ReadStruct<DateTimeOffset>(group, field, count).ConfigureAwait(false),
            _ when type == typeof(double) => await ReadStruct<double>(group, field, count).ConfigureAwait(false),
            _ when type == typeof(float) => await ReadStruct<float>(group, field, count).ConfigureAwait(false),
            _ when type == typeof(decimal) => await ReadStruct<decimal>(group, field, count).ConfigureAwait(false),
            _ when type == typeof(long) => await ReadStruct<long>(group, field, count).ConfigureAwait(false),
            _ when type == typeof(int) => await ReadStruct<int>(group, field, count).ConfigureAwait(false),
            _ => throw new FormatException($"Parquet column '{field.Name}' has the type {type.Name}; use a string, number or timestamp column"),
        };
    }

    private static async Task<string?[]> ReadStruct<T>(ParquetRowGroupReader group, DataField field, int count)
        where T : struct
    {
        var text = new string?[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync(field, values.AsMemory(), null).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                text[i] = values[i] is { } v ? Text(v) : null;
            }
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync(field, values.AsMemory(), null).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                text[i] = Text(values[i]);
            }
        }

        return text;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime dt => DateTime.SpecifyKind(dt, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private readonly ref struct Row(long line, string?[] values) : IRawEventRow
    {
        private readonly string?[] _values = values;

        public long Line { get; } = line;

        public ReadOnlySpan<char> Get(EventField field) => _values[(int)field];
    }
}
