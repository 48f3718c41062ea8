using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Simulation;

/// <summary>Writes simulated events in the spec's event format: CSV with a header row, or JSON Lines.</summary>
internal sealed class SimulatedEventWriter
{
    public const string Header = "event_id,timestamp,anonymous_id,type,channel,conversion";
    public const string ConversionName = "purchase";

    private readonly TextWriter _writer;
    private readonly bool _json;
    private readonly DateTime _start;
    private readonly StringBuilder _line = new(128);
    private long _id;

    public SimulatedEventWriter(TextWriter writer, bool jsonLines, DateTime start)
    {
        _writer = writer;
        _json = jsonLines;
        _start = start;
        if (!jsonLines)
        {
            writer.WriteLine(Header);
        }
    }

    public void Touch(string person, double seconds, string channel) => Emit(person, seconds, "touch", channel, null);

    public void Conversion(string person, double seconds) => Emit(person, seconds, "conversion", null, ConversionName);

    /// <summary>Whole seconds after the start, so times read back exactly and in order.</summary>
    public string Timestamp(double seconds) =>
        _start.AddTicks((long)Math.Floor(seconds) * TimeSpan.TicksPerSecond).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void Emit(string person, double seconds, string type, string? channel, string? conversion)
    {
        var id = "s" + (++_id).ToString(CultureInfo.InvariantCulture);
        var time = Timestamp(seconds);
        _line.Clear();
        if (_json)
        {
            _line.Append("{\"event_id\":\"").Append(id).Append("\",\"timestamp\":\"").Append(time)
                .Append("\",\"anonymous_id\":\"").Append(person).Append("\",\"type\":\"").Append(type).Append('"');
            if (channel is not null)
            {
                _line.Append(",\"channel\":").Append(JsonSerializer.Serialize(channel));
            }

            if (conversion is not null)
            {
                _line.Append(",\"conversion\":\"").Append(conversion).Append('"');
            }

            _line.Append('}');
        }
        else
        {
            _line.Append(id).Append(',').Append(time).Append(',').Append(person).Append(',').Append(type).Append(',');
            if (channel is not null)
            {
                CsvField.Append(_line, channel);
            }

            _line.Append(',').Append(conversion);
        }

        _writer.WriteLine(_line);
    }
}
