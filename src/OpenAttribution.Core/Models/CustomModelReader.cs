using System.Globalization;
using OpenAttribution.Core.Text;
using YamlDotNet.RepresentationModel;

namespace OpenAttribution.Core.Models;

/// <summary>
/// Reads a custom model from YAML or JSON (JSON is read as YAML). Every problem is listed with the
/// rule number, the key and the bad value. Format: see docs/custom-models.md.
/// </summary>
public static class CustomModelReader
{
    public static ModelSpec Parse(string text)
    {
        var problems = new List<string>();
        var root = YamlRoot.Load(
            text,
            "A custom model file must be a mapping with 'base' and 'rules'.",
            ex => $"The custom model file is not valid YAML/JSON (line {ex.Start.Line}): {ex.Message}");

        var baseName = Scalar(root, "base") ?? "linear";
        var baseSpec = new ModelSpec(ModelKind.Linear);
        if (!ModelNames.TryParse(baseName, out var baseKind))
        {
            problems.Add($"base '{baseName}': unknown model (use first-touch, last-touch, last-non-direct, linear, time-decay or position-based)");
        }
        else
        {
            baseSpec = new ModelSpec(baseKind);
        }

        if (Scalar(root, "half_life") is { } hl)
        {
            if (DurationParser.TryParse(hl, out var halfLife))
            {
                baseSpec = baseSpec with { HalfLife = halfLife };
            }
            else
            {
                problems.Add($"half_life '{hl}': not a duration such as 7d");
            }
        }

        if (Scalar(root, "position") is { } pos)
        {
            if (PositionParser.TryParse(pos, out var first, out var last))
            {
                baseSpec = baseSpec with { FirstShare = first, LastShare = last };
            }
            else
            {
                problems.Add($"position '{pos}': expected two shares such as 0.4,0.4");
            }
        }

        var rules = new List<CustomRule>();
        if (!root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode) || rulesNode is not YamlSequenceNode sequence)
        {
            problems.Add("rules: missing; expected a list of rules, each with a factor");
        }
        else
        {
            var index = 0;
            foreach (var node in sequence)
            {
                index++;
                if (node is not YamlMappingNode rule)
                {
                    problems.Add($"rule {index}: expected a mapping such as {{channel: Email, factor: 0.5}}");
                    continue;
                }

                if (ParseRule(rule, index, problems) is { } parsed)
                {
                    rules.Add(parsed);
                }
            }
        }

        var model = new CustomModel(baseSpec, rules) { Name = Scalar(root, "name") ?? "custom" };
        problems.AddRange(model.Validate());
        if (problems.Count > 0)
        {
            throw new FormatException("The custom model has problems:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }

        return new ModelSpec(ModelKind.Custom) { Custom = model };
    }

    private static readonly string[] Keys = ["factor", "channel", "source", "medium", "campaign", "position", "days_min", "days_max"];

    private static CustomRule? ParseRule(YamlMappingNode rule, int index, List<string> problems)
    {
        var before = problems.Count;
        foreach (var key in rule.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!Keys.Contains(name))
            {
                problems.Add($"rule {index}: unknown key '{name}' (valid: {string.Join(", ", Keys)})");
            }
        }

        var factorText = Scalar(rule, "factor");
        double factor = 0;
        if (factorText is null)
        {
            problems.Add($"rule {index}: factor missing");
        }
        else if (!double.TryParse(factorText, NumberStyles.Float, CultureInfo.InvariantCulture, out factor))
        {
            problems.Add($"rule {index}: factor '{factorText}' is not a number");
        }
        else if (!double.IsFinite(factor) || factor < 0)
        {
            problems.Add($"rule {index}: factor '{factorText}' must be a non-negative number");
        }

        TouchPosition? position = null;
        if (Scalar(rule, "position") is { } p)
        {
            if (Enum.TryParse<TouchPosition>(p, ignoreCase: true, out var tp) && !int.TryParse(p, out _))
            {
                position = tp;
            }
            else
            {
                problems.Add($"rule {index}: position '{p}' must be first, middle or last");
            }
        }

        var minDays = Days(rule, "days_min", index, problems);
        var maxDays = Days(rule, "days_max", index, problems);
        if (problems.Count > before)
        {
            return null;
        }

        return new CustomRule
        {
            Factor = factor,
            Channel = Scalar(rule, "channel"),
            Source = Scalar(rule, "source"),
            Medium = Scalar(rule, "medium"),
            Campaign = Scalar(rule, "campaign"),
            Position = position,
            MinDays = minDays,
            MaxDays = maxDays,
        };
    }

    private static double? Days(YamlMappingNode rule, string key, int index, List<string> problems)
    {
        if (Scalar(rule, key) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0)
        {
            return d;
        }

        problems.Add($"rule {index}: {key} '{text}' must be a non-negative number of days");
        return null;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value switch
        {
            YamlScalarNode s => s.Value,
            YamlSequenceNode seq => string.Join(",", seq.Children.OfType<YamlScalarNode>().Select(c => c.Value)),
            _ => null,
        }
        : null;
}
