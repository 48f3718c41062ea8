namespace OpenAttribution.Core.Models;

/// <summary>A model and its options (spec section 4).</summary>
public sealed record ModelSpec
{
    public static readonly TimeSpan DefaultHalfLife = TimeSpan.FromDays(7);

    public ModelSpec(ModelKind kind) => Kind = kind;

    public ModelKind Kind { get; }

    /// <summary>Time decay: a touch this long before the conversion gets half the weight.</summary>
    public TimeSpan HalfLife { get; init; } = DefaultHalfLife;

    /// <summary>Position-based: share of the first touch.</summary>
    public double FirstShare { get; init; } = 0.4;

    /// <summary>Position-based: share of the last touch.</summary>
    public double LastShare { get; init; } = 0.4;

    /// <summary>Custom: the base model and rules. Required for <see cref="ModelKind.Custom"/>.</summary>
    public CustomModel? Custom { get; init; }

    /// <summary>Markov: the order (states are the last K channels).</summary>
    public int Order { get; init; } = 1;

    /// <summary>
    /// Markov: the most solver work (operations, as estimated before solving) the caller allows; a
    /// larger chain is refused with a <see cref="DataDriven.MarkovTooLargeException"/>. No limit by
    /// default; the server sets one so that one report cannot hold a core for minutes.
    /// </summary>
    public double MaxWork { get; init; } = double.PositiveInfinity;

    /// <summary>The name reports use: the CLI name, with the order for Markov above 1.</summary>
    public string Name => Kind switch
    {
        ModelKind.Markov when Order != 1 => $"markov-{Order}",
        ModelKind.Custom when Custom?.Name is { Length: > 0 } name => name,
        _ => Kind.CliName(),
    };

    /// <summary>Every problem with the options, each naming the option and its value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (HalfLife <= TimeSpan.Zero)
        {
            problems.Add($"half-life '{HalfLife}' must be positive");
        }

        if (FirstShare < 0 || LastShare < 0 || FirstShare + LastShare > 1 + 1e-12 || !double.IsFinite(FirstShare) || !double.IsFinite(LastShare))
        {
            problems.Add($"position '{FirstShare},{LastShare}': the first and last shares must be between 0 and 1 and sum to at most 1");
        }

        if (Order is < 1 or > 12)
        {
            problems.Add($"order '{Order}' must be between 1 and 12");
        }

        if (Kind == ModelKind.Custom && Custom is null)
        {
            problems.Add("the custom model needs rules (--custom-rules FILE)");
        }

        if (Custom is not null)
        {
            problems.AddRange(Custom.Validate());
        }

        return problems;
    }

    public static ModelSpec Of(ModelKind kind) => new(kind);
}
