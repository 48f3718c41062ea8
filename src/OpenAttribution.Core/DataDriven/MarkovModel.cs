using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// Markov chain attribution of order k with removal effects (spec section 5), solved exactly: the
/// expected values of ChannelAttribution's <c>markov_model</c> simulation, without the simulation.
/// </summary>
public static class MarkovModel
{
    public static MarkovResult Compute(PathTable table, int order = 1, bool includeTransitions = false) =>
        Compute(table, order, includeTransitions, MarkovSolverKind.Auto, double.PositiveInfinity, CancellationToken.None);

    /// <summary>
    /// As <see cref="Compute(PathTable, int, bool)"/>, refusing (a <see cref="MarkovTooLargeException"/>,
    /// before any solving) a chain whose removal effects would cost more than <paramref name="maxWork"/>
    /// (the solver's operation estimate, <see cref="Work"/>), and stopping when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static MarkovResult Compute(PathTable table, int order, bool includeTransitions, double maxWork, CancellationToken cancellationToken) =>
        Compute(table, order, includeTransitions, MarkovSolverKind.Auto, maxWork, cancellationToken);

    internal static MarkovResult Compute(PathTable table, int order, bool includeTransitions, MarkovSolverKind solver) =>
        Compute(table, order, includeTransitions, solver, double.PositiveInfinity, CancellationToken.None);

    private static MarkovResult Compute(PathTable table, int order, bool includeTransitions, MarkovSolverKind solver, double maxWork, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        var split = TouchedPaths.Split(table);
        var touched = split.Table;
        var chain = MarkovChain.Build(touched, order);
        var channelCount = table.Channels.Count;
        var (byChannelStart, byChannelStates) = chain.StatesByChannel();
        var canConvert = chain.CanReachConversion(valued: false);
        var canValue = chain.CanReachConversion(valued: true);

        // A channel none of whose states can lead to a conversion has a removal effect of exactly 0:
        // no solve. The same holds for value.
        var solve = new List<int>();
        var valued = new bool[channelCount];
        for (var c = 0; c < channelCount; c++)
        {
            var converts = false;
            for (var i = byChannelStart[c]; i < byChannelStart[c + 1]; i++)
            {
                var s = byChannelStates[i];
                converts |= canConvert[s];
                valued[c] |= canValue[s];
            }

            if (converts)
            {
                solve.Add(c);
            }
        }

        var removal = new double[channelCount];
        var valueRemoval = new double[channelCount];
        double probability = 0, expectedValue = 0;
        if (solve.Count > 0)
        {
            var kind = solver == MarkovSolverKind.Auto ? Choose(chain, solve.Count) : solver;
            var work = Work(chain, solve.Count, kind);
            if (work > maxWork)
            {
                throw new MarkovTooLargeException(order, channelCount, chain.StateCount, chain.EdgeCount, solve.Count, work, maxWork);
            }

            var solution = kind == MarkovSolverKind.Elimination
                ? EliminationSolver.Solve(chain, solve, byChannelStart, cancellationToken)
                : GaussSeidelSolver.Solve(chain, solve, byChannelStart, byChannelStates, cancellationToken);
            probability = solution.Probability;
            expectedValue = solution.Value;
            foreach (var c in solve)
            {
                removal[c] = Effect(solution.ProbabilityWithout[c], probability);
                valueRemoval[c] = valued[c] ? Effect(solution.ValueWithout[c], expectedValue) : 0;
            }
        }

        // The channels share the conversions of the paths with a touch; (none) keeps those without.
        var conversions = split.WithNone(Credit.Share(touched.TotalConversions, removal), split.NoneConversions);

        // Value follows the value removal effects; if no converting path carries value (E = 0) while
        // the table has value, it follows the conversion removal effects so that totals still add up.
        var values = split.WithNone(
            Credit.Share(touched.TotalValue, valueRemoval.Sum() > 0 ? valueRemoval : removal),
            split.NoneValue);
        var transitions = includeTransitions ? Transitions(chain, table.Channels) : [];
        return new MarkovResult(
            order,
            table.Channels,
            removal,
            valueRemoval,
            conversions,
            values,
            probability,
            expectedValue,
            chain.StateCount,
            transitions);
    }

    /// <summary>
    /// The cheaper solver by a rough operation count: the dense divide-and-conquer elimination costs
    /// about 0.4 m^3 multiply-adds on m states (vectorised, so ~0.1 m^3 in scalar terms); Gauss-Seidel
    /// costs a pass over the edges for some tens to a hundred sweeps, for every batch of removals.
    /// </summary>
    internal static MarkovSolverKind Choose(MarkovChain chain, int removals)
    {
        if (chain.StateCount > EliminationSolver.MaxStates)
        {
            return MarkovSolverKind.GaussSeidel;
        }

        return Work(chain, removals, MarkovSolverKind.Elimination) <= Work(chain, removals, MarkovSolverKind.GaussSeidel)
            ? MarkovSolverKind.Elimination
            : MarkovSolverKind.GaussSeidel;
    }

    /// <summary>
    /// The solver's rough operation count for P and <paramref name="removals"/> removals: 0.1 m^3 for
    /// the elimination on m states; for Gauss-Seidel, (batches of <see cref="GaussSeidelSolver.Lanes"/>
    /// removals + 1) times (edges + states) times 100 sweeps. On the 2-core machine of BENCHMARKS.md
    /// the elimination of 3,000 states (2.7e9) took 37 s (~14 ns a unit); Gauss-Seidel over 3,000
    /// campaigns at order 1 (5.8e9) takes ~5 s and 300 channels at order 2 (9.5e8) ~3 s (1-3 ns a
    /// unit), as the per-removal Gauss-Seidel did per unit of its own count before removals were
    /// batched, so the server's limit (maxMarkovWork) keeps its meaning.
    /// </summary>
    internal static double Work(MarkovChain chain, int removals, MarkovSolverKind kind)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var states = (double)chain.StateCount;
        var batches = Math.Ceiling(removals / (double)GaussSeidelSolver.Lanes);
        return kind == MarkovSolverKind.Elimination
            ? 0.1 * states * states * states
            : (batches + 1.0) * (chain.EdgeCount + states) * 100.0;
    }

    private static double Effect(double without, double with) =>
        with > 0 ? Math.Clamp(1 - (without / with), 0, 1) : 0;

    private static List<MarkovTransition> Transitions(MarkovChain chain, IReadOnlyList<string> channels)
    {
        var list = new List<MarkovTransition>(chain.EdgeCount + (2 * chain.StateCount));
        var names = new string[chain.StateCount];
        for (var s = 0; s < chain.StateCount; s++)
        {
            names[s] = chain.StateName(s, channels);
        }

        for (var s = 0; s < chain.StateCount; s++)
        {
            var total = chain.Total[s];
            for (var i = chain.OutStart[s]; i < chain.OutStart[s + 1]; i++)
            {
                var e = chain.OutEdges[i];
                list.Add(new MarkovTransition(names[s], names[chain.EdgeTo[e]], chain.EdgeWeight[e] / total));
            }

            if (chain.Conversions[s] > 0)
            {
                list.Add(new MarkovTransition(names[s], MarkovResult.ConversionState, chain.Conversions[s] / total));
            }

            if (chain.Nulls[s] > 0)
            {
                list.Add(new MarkovTransition(names[s], MarkovResult.NullState, chain.Nulls[s] / total));
            }
        }

        return list;
    }
}
