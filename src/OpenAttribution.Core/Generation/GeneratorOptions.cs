namespace OpenAttribution.Core.Generation;

public sealed record GeneratorOptions
{
    public int People { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    /// <summary>First day of activity (UTC).</summary>
    public DateTime Start { get; init; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Days over which people first arrive.</summary>
    public int Days { get; init; } = 90;

    /// <summary>JSON Lines instead of CSV.</summary>
    public bool JsonLines { get; init; }
}
