using System.Globalization;
using OpenAttribution.Core.Text;
using YamlDotNet.RepresentationModel;

namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Reads a scenario from YAML or JSON (JSON is read as YAML). Every problem is listed at once with
/// its line, field and value; unknown fields are errors, since a misspelt one would silently keep
/// its default. Format: docs/evaluation.md.
/// </summary>
public static class ScenarioReader
{
    private static readonly string[] TopFields = ["name", "description", "baseline", "days", "journey_days", "closing_hours", "start", "channels"];
    private static readonly string[] ChannelFields = ["name", "reach", "frequency", "lift", "repeat_lift", "timing", "delay_days", "closing"];

    public static Scenario Parse(string text)
    {
        var root = YamlRoot.Load(
            text,
            "line 1: a scenario file must be a mapping with at least 'channels'.",
            ex => $"line {ex.Start.Line}: not valid YAML or JSON: {(ex.InnerException?.Message ?? ex.Message).Trim()}");

        var problems = new List<string>();
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var reader = new Fields(root, string.Empty, problems, lines, TopFields);
        var scenario = new Scenario();
        scenario = scenario with
        {
            Name = reader.Text("name") ?? scenario.Name,
            Description = reader.Text("description") ?? scenario.Description,
            Baseline = reader.Number("baseline") ?? scenario.Baseline,
            Days = reader.Number("days") ?? scenario.Days,
            JourneyDays = reader.Number("journey_days") ?? scenario.JourneyDays,
            ClosingHours = reader.Number("closing_hours") ?? scenario.ClosingHours,
            Start = reader.Date("start") ?? scenario.Start,
            Channels = ReadChannels(root, problems, lines),
        };

        foreach (var problem in scenario.Validate())
        {
            var field = problem.Split(' ', 2)[0];
            problems.Add(lines.TryGetValue(field, out var line) ? $"line {line}: {problem}" : problem);
        }

        return problems.Count == 0 ? scenario : throw new FormatException(string.Join(Environment.NewLine, problems.Distinct()));
    }

    private static List<ChannelEffect> ReadChannels(YamlMappingNode root, List<string> problems, Dictionary<string, long> lines)
    {
        var channels = new List<ChannelEffect>();
        if (!root.Children.TryGetValue(new YamlScalarNode("channels"), out var node))
        {
            return channels;
        }

        if (node is not YamlSequenceNode list)
        {
            problems.Add($"line {node.Start.Line}: channels: expected a list of channels, each a mapping with at least a name");
            return channels;
        }

        var index = 0;
        foreach (var item in list)
        {
            index++;
            var at = $"channels[{index}]";
            if (item is not YamlMappingNode map)
            {
                problems.Add($"line {item.Start.Line}: {at}: expected a mapping such as {{name: Email, reach: 0.3, lift: 0.02}}");
                continue;
            }

            var f = new Fields(map, at + ".", problems, lines, ChannelFields);
            var channel = new ChannelEffect(f.Text("name") ?? string.Empty);
            lines.TryAdd(at + ".name", map.Start.Line);
            var timing = f.Text("timing");
            var parsedTiming = timing?.ToLowerInvariant() switch
            {
                null or "anytime" => ExposureTiming.Anytime,
                "early" => ExposureTiming.Early,
                _ => (ExposureTiming?)null,
            };
            if (parsedTiming is null)
            {
                problems.Add($"line {lines[at + ".timing"]}: {at}.timing '{timing}': use anytime or early");
            }

            channels.Add(channel with
            {
                Reach = f.Number("reach") ?? channel.Reach,
                Frequency = f.Number("frequency") ?? channel.Frequency,
                Lift = f.Number("lift") ?? channel.Lift,
                RepeatLift = f.Number("repeat_lift") ?? channel.RepeatLift,
                Timing = parsedTiming ?? channel.Timing,
                DelayDays = f.Number("delay_days") ?? channel.DelayDays,
                Closing = f.Number("closing") ?? channel.Closing,
            });
        }

        return channels;
    }

    /// <summary>Scalar fields of one mapping, with every problem and every field's line recorded.</summary>
    private sealed class Fields
    {
        private readonly YamlMappingNode _map;
        private readonly string _prefix;
        private readonly List<string> _problems;
        private readonly Dictionary<string, long> _lines;

        public Fields(YamlMappingNode map, string prefix, List<string> problems, Dictionary<string, long> lines, string[] known)
        {
            _map = map;
            _prefix = prefix;
            _problems = problems;
            _lines = lines;
            foreach (var (key, value) in map.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? key.ToString();
                lines[prefix + name] = value.Start.Line;
                if (!known.Contains(name))
                {
                    problems.Add($"line {key.Start.Line}: {prefix}{name}: unknown field; known fields: {string.Join(", ", known)}");
                }
            }
        }

        public string? Text(string field)
        {
            if (!_map.Children.TryGetValue(new YamlScalarNode(field), out var node))
            {
                return null;
            }

            if (node is YamlScalarNode scalar)
            {
                return scalar.Value;
            }

            _problems.Add($"line {node.Start.Line}: {_prefix}{field}: expected a single value, not a list or mapping");
            return null;
        }

        public double? Number(string field)
        {
            var text = Text(field);
            if (text is null)
            {
                return null;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x))
            {
                return x;
            }

            _problems.Add($"line {_lines[_prefix + field]}: {_prefix}{field} '{text}': not a number");
            return null;
        }

        public DateTime? Date(string field)
        {
            var text = Text(field);
            if (text is null)
            {
                return null;
            }

            if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
            {
                return d;
            }

            _problems.Add($"line {_lines[_prefix + field]}: {_prefix}{field} '{text}': not a date; use yyyy-MM-dd");
            return null;
        }
    }
}
