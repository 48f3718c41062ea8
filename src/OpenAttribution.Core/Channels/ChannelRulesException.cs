namespace OpenAttribution.Core.Channels;

/// <summary>
/// A channel rule file (or the text given as one) is invalid. <see cref="Problems"/> lists every
/// problem found, each naming the rule (number and channel), the field and the bad value.
/// </summary>
public sealed class ChannelRulesException : FormatException
{
    public ChannelRulesException()
        : this(["the channel rules are invalid"])
    {
    }

    public ChannelRulesException(string message)
        : this([message])
    {
    }

    public ChannelRulesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public ChannelRulesException(IReadOnlyList<string> problems)
        : base(BuildMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, one sentence each, in file order.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 1)
        {
            return "Invalid channel rules: " + problems[0];
        }

        return $"Invalid channel rules ({problems.Count} problems):"
            + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
    }
}
