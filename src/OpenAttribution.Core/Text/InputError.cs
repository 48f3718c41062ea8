namespace OpenAttribution.Core.Text;

/// <summary>One rejected input row: where it is, which field, the bad value and why.</summary>
public sealed record InputError(long Line, string Field, string Value, string Reason)
{
    public override string ToString() =>
        Value.Length == 0 ? $"line {Line}: {Field}: {Reason}" : $"line {Line}: {Field} '{Value}': {Reason}";
}
