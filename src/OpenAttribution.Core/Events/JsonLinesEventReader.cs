using System.Buffers;
using System.Text;
using System.Text.Json;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>Streams events from JSON Lines: one JSON object per line (spec section 1).</summary>
public static class JsonLinesEventReader
{
    public static ReadSummary Read(TextReader text, IEventSink sink) => ReadLines(text, sink, 1, long.MaxValue);

    /// <summary>
    /// Reads the lines of a text whose first line is line <paramref name="firstLine"/> of a file, up to
    /// line <paramref name="lastLine"/>: one part of a file read on many threads.
    /// </summary>
    internal static ReadSummary ReadLines(TextReader text, IEventSink sink, long firstLine, long lastLine)
    {
        long rows = 0, valid = 0, lineNo = firstLine - 1;
        var values = new string?[EventFields.Count];
        var bytes = new byte[1024];
        var lines = new LineReader(text);
        while (lineNo < lastLine && lines.Next(out var line))
        {
            lineNo++;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            rows++;
            var needed = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (needed > bytes.Length)
            {
                bytes = new byte[Math.Max(needed, bytes.Length * 2)];
            }

            var length = Encoding.UTF8.GetBytes(line, bytes);
            Array.Clear(values);
            if (!TryParseObject(bytes.AsSpan(0, length), values, out var error))
            {
                sink.Reject(new InputError(lineNo, error.Field, error.Value, error.Reason));
                continue;
            }

            var raw = new Row(lineNo, values);
            if (EventValidator.Validate(ref raw, sink))
            {
                valid++;
            }
        }

        return new ReadSummary(rows, valid, rows - valid);
    }

    /// <summary>Reads one JSON object's known fields into <paramref name="values"/>.</summary>
    internal static bool TryParseObject(ReadOnlySpan<byte> json, string?[] values, out (string Field, string Value, string Reason) error)
    {
        error = default;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        string? name = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = ("(json)", Truncate(Encoding.UTF8.GetString(json)), "each line must be one JSON object");
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                name = null; // a name that is not valid text blames the line, not the field before it
                name = reader.GetString()!;
                reader.Read();
                var field = EventFields.FromName(name);
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        if (field is { } f1)
                        {
                            values[(int)f1] = reader.GetString();
                        }

                        break;
                    case JsonTokenType.Number:
                        if (field is { } f2)
                        {
                            values[(int)f2] = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                        }

                        break;
                    case JsonTokenType.Null:
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (field is not null)
                        {
                            error = (name, string.Empty, "must be a string or a number, not an object or array");
                            return false;
                        }

                        reader.Skip();
                        break;
                    default:
                        if (field is not null)
                        {
                            error = (name, reader.TokenType.ToString().ToLowerInvariant(), "must be a string or a number");
                            return false;
                        }

                        break;
                }
            }

            return true;
        }
        catch (JsonException ex)
        {
            error = ("(json)", Truncate(Encoding.UTF8.GetString(json)), "malformed JSON: " + ex.Message);
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // A string whose escapes are not valid UTF-16 (a lone surrogate such as \ud800): the reader
            // cannot give it as text, so the line is rejected, naming the field it was in.
            error = (name ?? "(json)", Truncate(Encoding.UTF8.GetString(json)), "not valid text: " + ex.Message);
            return false;
        }
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";

    private readonly ref struct Row(long line, string?[] values) : IRawEventRow
    {
        private readonly string?[] _values = values;

        public long Line { get; } = line;

        public ReadOnlySpan<char> Get(EventField field) => _values[(int)field];
    }
}
