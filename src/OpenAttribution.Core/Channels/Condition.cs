namespace OpenAttribution.Core.Channels;

/// <summary>A node of a rule's condition tree.</summary>
internal abstract class Condition
{
    /// <summary>The fields the condition reads, as bits <c>1 &lt;&lt; (int)ChannelField</c>.</summary>
    public abstract int FieldMask { get; }

    public abstract bool IsMatch(in MatchInput input);

    protected static int MaskOf(Condition[] parts)
    {
        int mask = 0;
        foreach (Condition part in parts)
        {
            mask |= part.FieldMask;
        }

        return mask;
    }
}

/// <summary>True when every part is true (an empty <c>all</c> is always true: a catch-all).</summary>
internal sealed class AllCondition(Condition[] parts) : Condition
{
    public override int FieldMask { get; } = MaskOf(parts);

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
    public override int FieldMask { get; } = MaskOf(parts);

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
    public override int FieldMask => inner.FieldMask;

    public override bool IsMatch(in MatchInput input) => !inner.IsMatch(in input);
}
