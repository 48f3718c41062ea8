namespace OpenAttribution.Core.Models;

public enum TouchPosition
{
    First,
    Middle,
    Last,
}

/// <summary>
/// One custom rule: every criterion given must hold; a touch that matches gets its base weight
/// multiplied by <see cref="Factor"/>. Criteria: channel, source, medium, campaign (case-insensitive),
/// position in the path, and days before the conversion in [<see cref="MinDays"/>, <see cref="MaxDays"/>).
/// </summary>
public sealed record CustomRule
{
    public required double Factor { get; init; }

    public string? Channel { get; init; }

    public string? Source { get; init; }

    public string? Medium { get; init; }

    public string? Campaign { get; init; }

    public TouchPosition? Position { get; init; }

    public double? MinDays { get; init; }

    public double? MaxDays { get; init; }

    public bool UsesTime => MinDays is not null || MaxDays is not null;

    public bool UsesTrafficSource => Source is not null || Medium is not null || Campaign is not null;
}

/// <summary>
/// A base model whose weights are reshaped by rules: the first matching rule's factor multiplies a
/// touch's weight, then the weights are renormalised to sum to 1. If every weight becomes 0, the base
/// weights stand.
/// </summary>
public sealed record CustomModel(ModelSpec Base, IReadOnlyList<CustomRule> Rules)
{
    public string Name { get; init; } = "custom";

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Base.Kind is ModelKind.Custom || Base.Kind.IsDataDriven())
        {
            problems.Add($"custom base model '{Base.Kind.CliName()}' must be a rule-based model (first-touch, last-touch, last-non-direct, linear, time-decay, position-based)");
        }

        for (var i = 0; i < Rules.Count; i++)
        {
            var r = Rules[i];
            if (!double.IsFinite(r.Factor) || r.Factor < 0)
            {
                problems.Add($"custom rule {i + 1}: factor '{r.Factor}' must be a non-negative number");
            }

            if (r.MinDays is { } min && r.MaxDays is { } max && min > max)
            {
                problems.Add($"custom rule {i + 1}: days_min '{min}' is above days_max '{max}'");
            }
        }

        return problems;
    }
}
