using System.Globalization;

namespace OpenAttribution.Core.Simulation;

/// <summary>
/// A simulated market: when people arrive, how likely they are to convert on their own (the
/// baseline) and the channels that reach them. Field meanings and defaults: docs/evaluation.md.
/// </summary>
public sealed record Scenario
{
    /// <summary>The most channels a scenario may have (the simulator switches them off by bit mask).</summary>
    public const int MaxChannels = 62;

    public string Name { get; init; } = "custom";

    public string Description { get; init; } = string.Empty;

    /// <summary>Chance that a person converts with no touch at all, at a uniform time in their journey.</summary>
    public double Baseline { get; init; }

    /// <summary>People's first day is uniform over this many days from <see cref="Start"/>.</summary>
    public double Days { get; init; } = 60;

    /// <summary>A person's exposures fall within this many days of their first day.</summary>
    public double JourneyDays { get; init; } = 30;

    /// <summary>Hours before a conversion within which closing visits fall (at least one minute before).</summary>
    public double ClosingHours { get; init; } = 2;

    public DateTime Start { get; init; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public IReadOnlyList<ChannelEffect> Channels { get; init; } = [];

    /// <summary>Every problem with the scenario, each starting with the field's path (e.g. <c>channels[2].lift</c>) and naming its value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Probability(problems, "baseline", Baseline);
        Positive(problems, "days", Days);
        Positive(problems, "journey_days", JourneyDays);
        Positive(problems, "closing_hours", ClosingHours);
        if (Channels.Count == 0)
        {
            problems.Add("channels: name at least one channel");
        }

        if (Channels.Count > MaxChannels)
        {
            problems.Add($"channels: {Channels.Count} channels; at most {MaxChannels} are supported");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Channels.Count; i++)
        {
            var c = Channels[i];
            var at = $"channels[{i + 1}]";
            if (string.IsNullOrWhiteSpace(c.Name) || c.Name.StartsWith('('))
            {
                problems.Add($"{at}.name '{c.Name}': needs a name that does not start with '(' ((none) is the baseline)");
            }
            else if (!seen.Add(c.Name))
            {
                problems.Add($"{at}.name '{c.Name}': named twice");
            }

            var before = problems.Count;
            Probability(problems, $"{at}.reach", c.Reach);
            Probability(problems, $"{at}.lift", c.Lift);
            Probability(problems, $"{at}.closing", c.Closing);
            if (!double.IsFinite(c.Frequency) || c.Frequency < 1 || c.Frequency > 1000)
            {
                problems.Add($"{at}.frequency '{Text(c.Frequency)}': must be between 1 and 1000");
            }

            if (!double.IsFinite(c.RepeatLift) || c.RepeatLift < 0)
            {
                problems.Add($"{at}.repeat_lift '{Text(c.RepeatLift)}': must be 0 or more");
            }

            Positive(problems, $"{at}.delay_days", c.DelayDays);
            for (var p = before; p < problems.Count; p++)
            {
                problems[p] += $" (channel {c.Name})";
            }
        }

        return problems;
    }

    private static void Probability(List<string> problems, string field, double x)
    {
        if (!(x >= 0 && x <= 1))
        {
            problems.Add($"{field} '{Text(x)}': must be a probability between 0 and 1");
        }
    }

    private static void Positive(List<string> problems, string field, double x)
    {
        if (!(x > 0 && double.IsFinite(x)))
        {
            problems.Add($"{field} '{Text(x)}': must be a positive number");
        }
    }

    private static string Text(double x) => x.ToString(CultureInfo.InvariantCulture);
}
