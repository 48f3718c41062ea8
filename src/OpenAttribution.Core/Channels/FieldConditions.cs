using System.Text.RegularExpressions;

namespace OpenAttribution.Core.Channels;

/// <summary>The plain-text comparisons of a field condition; all are case-insensitive (ordinal).</summary>
internal enum TextOperator
{
    /// <summary><c>equals</c> and <c>in</c>: the value equals one of the operands.</summary>
    Equals,
    Contains,
    Prefix,
    Suffix,
}

/// <summary><c>equals</c>, <c>in</c>, <c>contains</c>, <c>prefix</c>, <c>suffix</c>: true when any operand matches.</summary>
internal sealed class TextCondition(ChannelField target, TextOperator op, string[] operands) : Condition
{
    public override int FieldMask => 1 << (int)target;

    public override bool IsMatch(in MatchInput input)
    {
        string value = input[target];
        foreach (string operand in operands)
        {
            bool hit = op switch
            {
                TextOperator.Equals => value.Equals(operand, StringComparison.OrdinalIgnoreCase),
                TextOperator.Contains => value.Contains(operand, StringComparison.OrdinalIgnoreCase),
                TextOperator.Prefix => value.StartsWith(operand, StringComparison.OrdinalIgnoreCase),
                _ => value.EndsWith(operand, StringComparison.OrdinalIgnoreCase),
            };
            if (hit)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>regex</c>: the (case-insensitive, culture-invariant) pattern matches somewhere in the value.</summary>
internal sealed class RegexCondition(ChannelField target, Regex regex, string ruleLabel) : Condition
{
    public override int FieldMask => 1 << (int)target;

    public override bool IsMatch(in MatchInput input)
    {
        string value = input[target];
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            // Treating a timeout as "no match" would make classification depend on machine load.
            throw new ChannelRulesException(
            [
                $"{ruleLabel}: regex \"{regex}\" on {ChannelFields.Names[(int)target]} timed out "
                + $"after {regex.MatchTimeout.TotalMilliseconds:0} ms on the value \"{value}\"; simplify the pattern",
            ]);
        }
    }
}

/// <summary><c>category</c>: the value (a name, a host or a URL) is on one of the site lists.</summary>
internal sealed class CategoryCondition(ChannelField target, SiteList[] lists) : Condition
{
    public override int FieldMask => 1 << (int)target;

    public override bool IsMatch(in MatchInput input)
    {
        string value = input[target];
        foreach (SiteList list in lists)
        {
            if (list.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}
