namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// What a solver returns: P and E of the whole chain, and P and E with each requested channel removed
/// (entries of channels that were not requested stay equal to P and E).
/// </summary>
internal sealed class RemovalSolution
{
    public RemovalSolution(int channelCount)
    {
        ProbabilityWithout = new double[channelCount];
        ValueWithout = new double[channelCount];
    }

    /// <summary>P: probability of absorbing in <c>(conversion)</c> from <c>(start)</c>.</summary>
    public double Probability { get; set; }

    /// <summary>E: expected value absorbed in <c>(conversion)</c> from <c>(start)</c>.</summary>
    public double Value { get; set; }

    public double[] ProbabilityWithout { get; }

    public double[] ValueWithout { get; }

    public MarkovSolverKind Solver { get; set; }
}
