using OpenAttribution.Core.Events;

namespace OpenAttribution.Core.Models;

/// <summary>A custom model's rules resolved against one set of dictionaries (names to ids, once).</summary>
public sealed class CustomMatcher
{
    private readonly CompiledRule[] _rules;

    public CustomMatcher(CustomModel model, Dimensions? names)
    {
        _rules = model.Rules.Select(r => new CompiledRule(
            r.Factor,
            Resolve(r.Channel, names?.Channels),
            Resolve(r.Source, names?.Sources),
            Resolve(r.Medium, names?.Mediums),
            Resolve(r.Campaign, names?.Campaigns),
            r.Position,
            r.MinDays,
            r.MaxDays)).ToArray();
    }

    /// <summary>Multiplies each weight by its first matching rule's factor and renormalises.</summary>
    public void Apply(in TouchContext path, Span<double> weights)
    {
        var n = path.Length;
        double sum = 0;
        Span<double> original = n <= 256 ? stackalloc double[n] : new double[n];
        weights[..n].CopyTo(original);
        for (var i = 0; i < n; i++)
        {
            foreach (var rule in _rules)
            {
                if (rule.Matches(path, i))
                {
                    weights[i] *= rule.Factor;
                    break;
                }
            }

            sum += weights[i];
        }

        if (sum <= 0)
        {
            original.CopyTo(weights);
            return;
        }

        var inv = 1.0 / sum;
        for (var i = 0; i < n; i++)
        {
            weights[i] *= inv;
        }
    }

    /// <summary>-1: criterion not used; -2: a name no touch has (never matches).</summary>
    private static int Resolve(string? name, Text.Interner? names)
    {
        if (name is null)
        {
            return -1;
        }

        if (names is null)
        {
            return -2;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -2;
    }

    private readonly record struct CompiledRule(
        double Factor, int Channel, int Source, int Medium, int Campaign, TouchPosition? Position, double? MinDays, double? MaxDays)
    {
        public bool Matches(in TouchContext path, int i)
        {
            if ((Channel != -1 && path.Channels[i] != Channel) ||
                (Source != -1 && (path.Sources.IsEmpty || path.Sources[i] != Source)) ||
                (Medium != -1 && (path.Mediums.IsEmpty || path.Mediums[i] != Medium)) ||
                (Campaign != -1 && (path.Campaigns.IsEmpty || path.Campaigns[i] != Campaign)))
            {
                return false;
            }

            if (Position is { } position)
            {
                var ok = position switch
                {
                    TouchPosition.First => i == 0,
                    TouchPosition.Last => i == path.Length - 1,
                    _ => i > 0 && i < path.Length - 1,
                };
                if (!ok)
                {
                    return false;
                }
            }

            if (MinDays is not null || MaxDays is not null)
            {
                if (path.Times.IsEmpty)
                {
                    return false;
                }

                var days = (path.ConversionTime - path.Times[i]) / (double)TimeSpan.TicksPerDay;
                if ((MinDays is { } min && days < min) || (MaxDays is { } max && days >= max))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
