namespace OpenAttribution.Core.Models;

public enum ModelKind
{
    FirstTouch,
    LastTouch,
    LastNonDirect,
    Linear,
    TimeDecay,
    PositionBased,
    Custom,
    Markov,
    Shapley,
}

public static class ModelNames
{
    private static readonly (ModelKind Kind, string Name)[] All =
    [
        (ModelKind.FirstTouch, "first-touch"),
        (ModelKind.LastTouch, "last-touch"),
        (ModelKind.LastNonDirect, "last-non-direct"),
        (ModelKind.Linear, "linear"),
        (ModelKind.TimeDecay, "time-decay"),
        (ModelKind.PositionBased, "position-based"),
        (ModelKind.Custom, "custom"),
        (ModelKind.Markov, "markov"),
        (ModelKind.Shapley, "shapley"),
    ];

    /// <summary>The six rule-based models with fixed weights, in the order reports show them.</summary>
    public static IReadOnlyList<ModelKind> RuleBased { get; } =
        [ModelKind.LastTouch, ModelKind.FirstTouch, ModelKind.LastNonDirect, ModelKind.Linear, ModelKind.TimeDecay, ModelKind.PositionBased];

    public static string CliName(this ModelKind kind) => All.First(a => a.Kind == kind).Name;

    public static IEnumerable<string> CliNames => All.Select(a => a.Name);

    public static bool TryParse(string name, out ModelKind kind)
    {
        foreach (var (k, n) in All)
        {
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static ModelKind Parse(string name) => TryParse(name, out var kind)
        ? kind
        : throw new ArgumentException($"Unknown model '{name}'. Valid models: {string.Join(", ", CliNames)}.", nameof(name));

    public static bool IsDataDriven(this ModelKind kind) => kind is ModelKind.Markov or ModelKind.Shapley;
}
