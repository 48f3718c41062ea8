namespace OpenAttribution.Core.Options;

/// <summary>
/// A report option with a bad value. <see cref="Option"/> is the option's name without dashes
/// (<c>lookback</c>), as the CLI (<c>--lookback</c>) and the HTTP API (<c>?lookback=</c>) both name it.
/// </summary>
public sealed class OptionException(string option, string value, string reason)
    : FormatException($"--{option} '{value}': {reason}")
{
    public string Option { get; } = option;

    public string Value { get; } = value;

    public string Reason { get; } = reason;
}
