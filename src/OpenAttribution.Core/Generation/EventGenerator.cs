using System.Globalization;
using System.Text;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Generation;

/// <summary>
/// Writes a realistic synthetic event stream (spec section 1) for demos and benchmarks: people
/// arrive over time through a mix of channels, some log in (identify), some convert (purchases with
/// values, sign-ups, newsletter leads). Deterministic for a seed. Writes to any text writer.
/// </summary>
public static class EventGenerator
{
    private static readonly string[] Header =
        ["event_id", "timestamp", "user_id", "anonymous_id", "type", "channel", "source", "medium", "campaign", "content", "term", "referrer", "url", "conversion", "value"];

    /// <summary>Writes the events and returns how many were written.</summary>
    public static long Write(TextWriter writer, GeneratorOptions options, Action<int>? onPerson = null)
    {
        var random = new Random(options.Seed);
        var kinds = TrafficMix.Kinds;
        var cumulative = new double[kinds.Length];
        double total = 0;
        for (var i = 0; i < kinds.Length; i++)
        {
            total += kinds[i].Weight;
            cumulative[i] = total;
        }

        var output = new Output(writer, options.JsonLines);
        if (!options.JsonLines)
        {
            writer.WriteLine(string.Join(',', Header));
        }

        long written = 0;
        for (var person = 0; person < options.People; person++)
        {
            var anon = "a" + person.ToString("x6", CultureInfo.InvariantCulture);
            var user = random.NextDouble() < 0.45 ? "u" + person.ToString(CultureInfo.InvariantCulture) : null;
            var time = options.Start.AddSeconds(random.NextDouble() * options.Days * 86400);
            var identified = false;
            var touches = 1 + Geometric(random, 0.38);
            var pressure = 0.0;
            for (var t = 0; t < touches; t++)
            {
                var kind = Pick(random, kinds, cumulative, total);
                pressure += kind.Lift;
                // Logged-in visits carry the user id once identified.
                var userOnEvent = identified && random.NextDouble() < 0.7 ? user : null;
                output.Touch(++written, time, userOnEvent, anon, kind, random);

                if (user is not null && !identified && random.NextDouble() < 0.35)
                {
                    time = time.AddSeconds(30 + random.Next(600));
                    output.Identify(++written, time, user, anon);
                    identified = true;
                }

                // Converting gets likelier with every touch; most converters buy once, some again.
                if (random.NextDouble() < pressure * 1.6)
                {
                    time = time.AddSeconds(60 + random.Next(3600));
                    var roll = random.NextDouble();
                    var (name, value) = roll < 0.7 ? ("purchase", Math.Round(Math.Exp(3.4 + (random.NextDouble() * 1.6)), 2))
                        : roll < 0.9 ? ("signup", 0.0) : ("lead", 5.0);
                    output.Conversion(++written, time, identified ? user : null, anon, name, value);
                    pressure *= 0.3;
                }

                time = time.AddSeconds(Math.Min(45 * 86400, -Math.Log(1 - random.NextDouble()) * 2.5 * 86400));
            }

            onPerson?.Invoke(person);
        }

        writer.Flush();
        return written;
    }

    private static int Geometric(Random random, double p) => (int)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(1 - p));

    private static TrafficKind Pick(Random random, TrafficKind[] kinds, double[] cumulative, double total)
    {
        var x = random.NextDouble() * total;
        var i = Array.BinarySearch(cumulative, x);
        return kinds[i < 0 ? ~i : i];
    }

    private sealed class Output(TextWriter writer, bool json)
    {
        private readonly StringBuilder _line = new(256);
        private readonly string?[] _fields = new string?[15];

        public void Touch(long id, DateTime time, string? user, string anon, TrafficKind kind, Random random)
        {
            Array.Clear(_fields);
            var campaign = kind.Campaigns.Length > 0 ? kind.Campaigns[random.Next(kind.Campaigns.Length)] : null;
            var page = Pages[random.Next(Pages.Length)];
            var url = "https://shop.example.com" + page;
            if (kind.UtmInUrl)
            {
                url += $"?utm_source={kind.Source}&utm_medium={kind.Medium}&utm_campaign={campaign}";
            }
            else
            {
                _fields[6] = kind.Source;
                _fields[7] = kind.Medium;
                _fields[8] = campaign;
            }

            if (kind.ClickId is { } click)
            {
                url += $"?{click}=Cj0K{random.Next():x8}";
            }

            _fields[11] = kind.Referrer;
            _fields[12] = url;
            Emit(id, time, user, anon, "touch");
        }

        public void Identify(long id, DateTime time, string user, string anon)
        {
            Array.Clear(_fields);
            Emit(id, time, user, anon, "identify");
        }

        public void Conversion(long id, DateTime time, string? user, string anon, string name, double value)
        {
            Array.Clear(_fields);
            _fields[13] = name;
            _fields[14] = value == 0 ? null : value.ToString("0.##", CultureInfo.InvariantCulture);
            Emit(id, time, user, anon, "conversion");
        }

        private static readonly string[] Pages = ["/", "/shoes/running", "/shoes/trail", "/sale", "/blog/how-to-choose", "/product/aero-7"];

        private void Emit(long id, DateTime time, string? user, string anon, string type)
        {
            _fields[0] = "e" + id.ToString(CultureInfo.InvariantCulture);
            _fields[1] = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            _fields[2] = user;
            _fields[3] = anon;
            _fields[4] = type;
            _line.Clear();
            if (json)
            {
                _line.Append('{');
                var first = true;
                for (var i = 0; i < _fields.Length; i++)
                {
                    if (_fields[i] is not { } v)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        _line.Append(',');
                    }

                    first = false;
                    _line.Append('"').Append(Header[i]).Append("\":");
                    if (i == 14)
                    {
                        _line.Append(v);
                    }
                    else
                    {
                        _line.Append(System.Text.Json.JsonSerializer.Serialize(v));
                    }
                }

                _line.Append('}');
            }
            else
            {
                for (var i = 0; i < _fields.Length; i++)
                {
                    if (i > 0)
                    {
                        _line.Append(',');
                    }

                    if (_fields[i] is { } v)
                    {
                        CsvField.Append(_line, v);
                    }
                }
            }

            writer.WriteLine(_line);
        }
    }
}
