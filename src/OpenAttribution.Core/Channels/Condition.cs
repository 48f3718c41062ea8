namespace OpenAttribution.Core.Channels;

/// <summary>A node of a rule's condition tree.</summary>
internal abstract class Condition
{
    public abstract bool IsMatch(in MatchInput input);
}

/// <summary>True when every part is true (an empty <c>all</c> is always true: a catch-all).</summary>
internal sealed class AllCondition(Condition[] parts) : Condition
{
    public override bool IsMatch(in MatchInput input)
    {
        foreach (Condition part in parts)
        {
            if (!part.IsMatch(in input))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>True when at least one part is true.</summary>
internal sealed class AnyCondition(Condition[] parts) : Condition
{
    public override bool IsMatch(in MatchInput input)
    {
        foreach (Condition part in parts)
        {
            if (part.IsMatch(in input))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>True when the inner condition is false.</summary>
internal sealed class NotCondition(Condition inner) : Condition
{
    public override bool IsMatch(in MatchInput input) => !inner.IsMatch(in input);
}
