using System.Text.Json;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// Reads the events of an HTTP request body (spec section 8): a JSON array of event objects, or JSON
/// Lines. Each event is validated like a file's row; its <see cref="EventRow.Line"/> (and the line of
/// its rejection) is its index in the body, from 0 (blank lines of JSON Lines are not counted).
/// </summary>
public static class JsonBodyEventReader
{
    /// <summary>
    /// Reads <paramref name="body"/> into <paramref name="sink"/>. Returns null on success, or why the
    /// body as a whole is not readable (a JSON array that is not well-formed); then some events may
    /// already have reached the sink and the caller should discard them.
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> body, IEventSink sink, out ReadSummary summary) => Read(body, sink, jsonLines: false, out summary);

    /// <summary>
    /// As <see cref="Read(ReadOnlySpan{byte}, IEventSink, out ReadSummary)"/>; with
    /// <paramref name="jsonLines"/> (the sender said so: <c>application/x-ndjson</c> and the like) the
    /// body is read as JSON Lines whatever its first character. Otherwise a body starting with
    /// <c>[</c> is a JSON array, unless a complete first value ends its line and more lines follow: then
    /// it is JSON Lines whose first line happens to be an array (that line's rejection, not the body's).
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> body, IEventSink sink, bool jsonLines, out ReadSummary summary)
    {
        var start = 0;
        while (start < body.Length && IsSpace(body[start]))
        {
            start++;
        }

        if (start == body.Length)
        {
            summary = new ReadSummary(0, 0, 0);
            return "the body is empty; send a JSON array of events or JSON Lines";
        }

        return body[start] == (byte)'[' && !jsonLines && !MoreAfterFirstValue(body[start..])
            ? ReadArray(body, sink, out summary)
            : ReadLines(body, sink, out summary);
    }

    /// <summary>
    /// Whether a well-formed first JSON value ends its line and more follows on the next lines (JSON
    /// Lines); text after it on the same line is an array's trailing garbage.
    /// </summary>
    private static bool MoreAfterFirstValue(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowMultipleValues = true });
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            var rest = body[(int)reader.BytesConsumed..];
            var lineEnd = rest.IndexOfAnyExcept(" \t\r"u8);
            return lineEnd >= 0 && rest[lineEnd] == (byte)'\n' && rest[lineEnd..].IndexOfAnyExcept(" \t\r\n"u8) >= 0;
        }
        catch (JsonException)
        {
            return false; // a broken array: reported as such
        }
    }

    private static string? ReadArray(ReadOnlySpan<byte> body, IEventSink sink, out ReadSummary summary)
    {
        var values = new string?[EventFields.Count];
        long index = 0, valid = 0;
        summary = new ReadSummary(0, 0, 0);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var from = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var to = (int)reader.BytesConsumed;
                    if (Validate(body[from..to], index, values, sink))
                    {
                        valid++;
                    }
                }
                else
                {
                    reader.Skip();
                    sink.Reject(new InputError(index, "(json)", reader.TokenType.ToString().ToLowerInvariant(), "each element of the array must be an event object"));
                }

                index++;
            }

            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            {
                return $"malformed JSON array: content after byte {reader.BytesConsumed} (expected the end of the array)";
            }
        }
        catch (JsonException ex)
        {
            return "malformed JSON array: " + ex.Message;
        }

        summary = new ReadSummary(index, valid, index - valid);
        return null;
    }

    private static string? ReadLines(ReadOnlySpan<byte> body, IEventSink sink, out ReadSummary summary)
    {
        var values = new string?[EventFields.Count];
        long index = 0, valid = 0;
        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            var line = newline < 0 ? body : body[..newline];
            body = newline < 0 ? [] : body[(newline + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            if (Validate(line, index, values, sink))
            {
                valid++;
            }

            index++;
        }

        summary = new ReadSummary(index, valid, index - valid);
        return null;
    }

    private static bool Validate(ReadOnlySpan<byte> json, long index, string?[] values, IEventSink sink)
    {
        Array.Clear(values);
        if (!JsonLinesEventReader.TryParseObject(json, values, out var error))
        {
            sink.Reject(new InputError(index, error.Field, error.Value, error.Reason));
            return false;
        }

        var raw = new Row(index, values);
        return EventValidator.Validate(ref raw, sink);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF;

    private readonly ref struct Row(long line, string?[] values) : IRawEventRow
    {
        private readonly string?[] _values = values;

        public long Line { get; } = line;

        public ReadOnlySpan<char> Get(EventField field) => _values[(int)field];
    }
}
