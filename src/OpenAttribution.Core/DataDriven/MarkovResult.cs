namespace OpenAttribution.Core.DataDriven;

/// <summary>The Markov chain attribution of a path table (spec section 5). Arrays are indexed by channel id.</summary>
public sealed class MarkovResult
{
    public const string StartState = "(start)";
    public const string ConversionState = "(conversion)";
    public const string NullState = "(null)";

    internal MarkovResult(
        int order,
        IReadOnlyList<string> channels,
        double[] removalEffects,
        double[] valueRemovalEffects,
        double[] conversions,
        double[] values,
        double conversionProbability,
        double expectedValue,
        int stateCount,
        IReadOnlyList<MarkovTransition> transitions)
    {
        Order = order;
        Channels = channels;
        RemovalEffects = removalEffects;
        ValueRemovalEffects = valueRemovalEffects;
        Conversions = conversions;
        Values = values;
        ConversionProbability = conversionProbability;
        ExpectedValue = expectedValue;
        StateCount = stateCount;
        Transitions = transitions;
    }

    public int Order { get; }

    /// <summary>Channel names, in the order and with the ids of the path table.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>RE(c) = 1 - P(without c) / P.</summary>
    public double[] RemovalEffects { get; }

    /// <summary>REV(c) = 1 - E(without c) / E.</summary>
    public double[] ValueRemovalEffects { get; }

    /// <summary>Conversions credited to each channel; they sum to the table's conversions.</summary>
    public double[] Conversions { get; }

    /// <summary>Value credited to each channel; it sums to the table's value.</summary>
    public double[] Values { get; }

    /// <summary>P: the probability of absorbing in <c>(conversion)</c> from <c>(start)</c>.</summary>
    public double ConversionProbability { get; }

    /// <summary>E: the expected conversion value absorbed from <c>(start)</c>.</summary>
    public double ExpectedValue { get; }

    /// <summary>Number of transient states, <c>(start)</c> included.</summary>
    public int StateCount { get; }

    /// <summary>
    /// The transition matrix (only when requested): states are named by their channels joined with
    /// commas (<c>alpha</c>, or <c>alpha,beta</c> at order 2), plus <c>(start)</c>, <c>(conversion)</c> and
    /// <c>(null)</c>. Grouped by source state in order of first appearance.
    /// </summary>
    public IReadOnlyList<MarkovTransition> Transitions { get; }
}
