namespace OpenAttribution.Core.Text;

/// <summary>
/// One rejected input row: where it is, which field, the bad value and why. The value is kept to
/// <see cref="MaxValueLength"/> characters, so a rejection never echoes a megabyte back.
/// </summary>
public sealed record InputError(long Line, string Field, string Value, string Reason)
{
    /// <summary>The most characters of a bad value a rejection shows.</summary>
    public const int MaxValueLength = 200;

    public string Value { get; init; } = Shorten(Value);

    public override string ToString() =>
        Value.Length == 0 ? $"line {Line}: {Field}: {Reason}" : $"line {Line}: {Field} '{Value}': {Reason}";

    /// <summary>At most <see cref="MaxValueLength"/> characters of a value, ending in "..." when cut.</summary>
    public static string Shorten(string value) =>
        value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength - 3), "...");
}
