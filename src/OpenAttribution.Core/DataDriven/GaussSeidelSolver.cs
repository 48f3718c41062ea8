using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// Solves the absorbing chain for P (and E) with and without each channel by block Gauss-Seidel over
/// the chain's strongly connected components.
/// <para>
/// The states are split into strongly connected components and put in an order where each component
/// comes after every component it leads to. A component of one state (every state shorter than the
/// order, and most states of full length when paths rarely revisit a channel) is then solved exactly
/// by one update; a larger one (the states among which paths cycle) is iterated until it converges,
/// with the values of everything downstream of it already final.
/// </para>
/// <para>
/// Removals are solved eight at a time: each state holds eight lanes for P and eight for E (two
/// <c>Vector256</c> each), one lane per removal, so one pass over the edges serves eight removals (the
/// lanes share the transition weights and differ only in which states are dead). A removal starts
/// from the base solution with its dead states zeroed; the iterates move down monotonically to its
/// fixed point. Batches go to at most one worker per core, each with one buffer of its own.
/// Within a large component the states are laid out, and swept, by their tuple without its first
/// channel (see <see cref="SparseSystem"/>).
/// </para>
/// <para>
/// Each update is <c>x_s = (C_s + sum_{t != s} w_st x_t) / L_s</c> (as a product with <c>1 / L_s</c>)
/// with raw weights: the self-loop is folded exactly into the pivot <c>L_s</c>, the weight leaving s
/// other than by its self-loop, which is a sum of non-negative terms (no <c>1 - p</c> cancellation). All terms are non-negative, so the iterates
/// move monotonically to the fixed point. A component's sweeps stop, for every lane, when the last
/// update is 0, or when the geometric tail bound <c>d r / (1 - r)</c> (d = largest change of the last
/// sweep, r = its contraction ratio) is below 1e-16 of the solution, or when the changes stop
/// shrinking at the level of the last bits.
/// </para>
/// </summary>
internal static class GaussSeidelSolver
{
    /// <summary>Removals solved together in one pass over the edges.</summary>
    public const int Lanes = 8;

    private const int Stride = 2 * Lanes; // per state: eight lanes of P, then eight of E
    private const int Half = 4; // lanes in one Vector256<double>
    private const double Tolerance = 1e-16;
    private const int MaxSweeps = 1_000_000;

    public static RemovalSolution Solve(MarkovChain chain, IReadOnlyList<int> channels, int[] byChannelStart, int[] byChannelStates, CancellationToken cancellationToken = default)
    {
        var system = new SparseSystem(chain);
        var result = new RemovalSolution(chain.ChannelCount) { Solver = MarkovSolverKind.GaussSeidel };
        var n = chain.StateCount;
        var start = system.Position[0] * Stride;
        var solved = new double[n * Stride];
        var none = new byte[n];
        system.Solve(solved, none, cancellationToken);
        result.Probability = solved[start];
        result.Value = solved[start + Lanes];
        Array.Fill(result.ProbabilityWithout, result.Probability);
        Array.Fill(result.ValueWithout, result.Value);

        // One buffer per worker (a removal batch holds n * 16 doubles), workers taking batches in turn.
        var batches = (channels.Count + Lanes - 1) / Lanes;
        var next = -1;
        Parallel.For(
            0,
            Math.Min(Environment.ProcessorCount, batches),
            Parallelism.Options(cancellationToken),
            _ =>
            {
                var values = new double[n * Stride];
                var dead = new byte[n];
                int batch;
                while ((batch = Interlocked.Increment(ref next)) < batches)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    solved.CopyTo(values, 0);
                    var first = batch * Lanes;
                    var count = Math.Min(Lanes, channels.Count - first);
                    for (var lane = 0; lane < count; lane++)
                    {
                        var c = channels[first + lane];
                        for (var i = byChannelStart[c]; i < byChannelStart[c + 1]; i++)
                        {
                            var p = system.Position[byChannelStates[i]];
                            dead[p] |= (byte)(1 << lane);
                            values[(p * Stride) + lane] = 0;
                            values[(p * Stride) + Lanes + lane] = 0;
                        }
                    }

                    system.Solve(values, dead, cancellationToken);
                    for (var lane = 0; lane < count; lane++)
                    {
                        var c = channels[first + lane];
                        result.ProbabilityWithout[c] = values[start + lane];
                        result.ValueWithout[c] = values[start + Lanes + lane];
                        for (var i = byChannelStart[c]; i < byChannelStart[c + 1]; i++)
                        {
                            dead[system.Position[byChannelStates[i]]] = 0;
                        }
                    }
                }
            });
        return result;
    }

    /// <summary>
    /// The chain as compressed rows without self-loops, its states renumbered so that each strongly
    /// connected component is a contiguous range and every component comes after the components it
    /// leads to (solving order: successors first).
    /// </summary>
    private sealed class SparseSystem
    {
        private static readonly Vector256<double>[] DeadMasks = BuildMasks();

        private readonly int[] _rowStart; // rows in solving order: row r holds the state at position r
        private readonly int[] _to; // positions, already multiplied by Stride
        private readonly double[] _weight;
        private readonly double[] _conversions;
        private readonly double[] _values;
        private readonly double[] _inverseLeave;
        private readonly int[] _componentStart;

        public SparseSystem(MarkovChain chain)
        {
            var n = chain.StateCount;
            var (order, componentStart) = Components(chain);
            _componentStart = componentStart;

            // Within a component, the rows are swept, and their values laid out, by the state tuple
            // without its first channel: consecutive rows then read the same successors (the tuple
            // shifted by one channel, then each next channel) while they are in cache, and write
            // their own values one after another.
            var states = chain.States;
            for (var c = 0; c + 1 < componentStart.Length; c++)
            {
                var from = componentStart[c];
                var length = componentStart[c + 1] - from;
                if (length > 1)
                {
                    order.AsSpan(from, length).Sort((a, b) => CompareBySuffix(states.Channels(a), states.Channels(b)));
                }
            }

            Position = new int[n];
            for (var p = 0; p < n; p++)
            {
                Position[order[p]] = p;
            }

            _rowStart = new int[n + 1];
            _to = new int[chain.EdgeCount];
            _weight = new double[chain.EdgeCount];
            _conversions = new double[n];
            _values = new double[n];
            _inverseLeave = new double[n];
            var k = 0;
            for (var r = 0; r < n; r++)
            {
                var s = order[r];
                for (var i = chain.OutStart[s]; i < chain.OutStart[s + 1]; i++)
                {
                    var e = chain.OutEdges[i];
                    if (chain.EdgeTo[e] != s)
                    {
                        _to[k] = Position[chain.EdgeTo[e]] * Stride;
                        _weight[k] = chain.EdgeWeight[e];
                        k++;
                    }
                }

                _rowStart[r + 1] = k;
                _conversions[r] = chain.Conversions[s];

                // Value reward: C_s * mean value of the conversions ending in s = their total value.
                _values[r] = chain.Conversions[s] > 0 ? chain.Values[s] : 0;
                _inverseLeave[r] = 1 / chain.Leave[s];
            }
        }

        private static int CompareBySuffix(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
        {
            var bySuffix = a[1..].SequenceCompareTo(b[1..]);
            return bySuffix != 0 ? bySuffix : a[0].CompareTo(b[0]);
        }

        /// <summary>Each chain state's position in solving order.</summary>
        public int[] Position { get; }

        /// <summary>
        /// Solves every lane in place. <paramref name="xy"/> holds the start point (0 on dead states):
        /// per position, eight lanes of P then eight of E. <paramref name="dead"/> has bit l set where the
        /// state is dead in lane l.
        /// </summary>
        public void Solve(double[] xy, byte[] dead, CancellationToken cancellationToken)
        {
            Span<ConvergenceTracker> trackers = stackalloc ConvergenceTracker[Stride];
            Span<bool> finished = stackalloc bool[Stride];
            Span<double> change = stackalloc double[Stride];
            Span<double> scale = stackalloc double[Stride];
            var component = 0;
            while (component < _componentStart.Length - 1)
            {
                // A run of one-state components is solved by one pass, successors first.
                var from = _componentStart[component];
                var to = _componentStart[component + 1];
                if (to - from == 1)
                {
                    while (component + 1 < _componentStart.Length - 1 && _componentStart[component + 2] - _componentStart[component + 1] == 1)
                    {
                        component++;
                    }

                    Sweep(from, _componentStart[component + 1], xy, dead, change, scale);
                    component++;
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                trackers.Clear();
                finished.Clear();
                for (var sweep = 0; sweep < MaxSweeps; sweep++)
                {
                    Sweep(from, to, xy, dead, change, scale);

                    // A lane that has converged stays so; the others go on.
                    var done = true;
                    for (var i = 0; i < Stride; i++)
                    {
                        finished[i] = finished[i] || trackers[i].Converged(change[i], scale[i]);
                        done &= finished[i];
                    }

                    if (done)
                    {
                        break;
                    }

                    if ((sweep & 15) == 15)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                component++;
            }
        }

        /// <summary>
        /// Updates rows [from, to) in order; returns per lane (P lanes, then E lanes) the largest change
        /// and the largest new value.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Sweep(int from, int to, double[] xy, byte[] dead, Span<double> changes, Span<double> scales)
        {
            ref var values = ref MemoryMarshal.GetArrayDataReference(xy);
            ref var targets = ref MemoryMarshal.GetArrayDataReference(_to);
            ref var weights = ref MemoryMarshal.GetArrayDataReference(_weight);
            var rowStart = _rowStart.AsSpan(from, to - from + 1);
            var count = to - from;
            var conversions = _conversions.AsSpan(from, to - from);
            var rewards = _values.AsSpan(from, to - from);
            var inverseLeave = _inverseLeave.AsSpan(from, to - from);
            var changeX = Vector256<double>.Zero;
            var changeX2 = Vector256<double>.Zero;
            var changeY = Vector256<double>.Zero;
            var changeY2 = Vector256<double>.Zero;
            var scaleX = Vector256<double>.Zero;
            var scaleX2 = Vector256<double>.Zero;
            var scaleY = Vector256<double>.Zero;
            var scaleY2 = Vector256<double>.Zero;
            for (var r = 0; r < count; r++)
            {
                var x = Vector256.Create(conversions[r]);
                var x2 = x;
                var y = Vector256.Create(rewards[r]);
                var y2 = y;
                for (var i = rowStart[r]; i < rowStart[r + 1]; i++)
                {
                    var t = (nuint)Unsafe.Add(ref targets, i);
                    var w = Vector256.Create(Unsafe.Add(ref weights, i));
                    x += w * Vector256.LoadUnsafe(ref values, t);
                    x2 += w * Vector256.LoadUnsafe(ref values, t + Half);
                    y += w * Vector256.LoadUnsafe(ref values, t + Lanes);
                    y2 += w * Vector256.LoadUnsafe(ref values, t + Lanes + Half);
                }

                var l = Vector256.Create(inverseLeave[r]);
                x *= l;
                x2 *= l;
                y *= l;
                y2 *= l;
                var own = from + r;
                var mask = dead[own];
                if (mask != 0)
                {
                    var low = DeadMasks[mask & 15];
                    var high = DeadMasks[mask >> 4];
                    x = Vector256.AndNot(x, low);
                    y = Vector256.AndNot(y, low);
                    x2 = Vector256.AndNot(x2, high);
                    y2 = Vector256.AndNot(y2, high);
                }

                var at = (nuint)(own * Stride);
                changeX = Vector256.Max(changeX, Vector256.Abs(x - Vector256.LoadUnsafe(ref values, at)));
                changeX2 = Vector256.Max(changeX2, Vector256.Abs(x2 - Vector256.LoadUnsafe(ref values, at + Half)));
                changeY = Vector256.Max(changeY, Vector256.Abs(y - Vector256.LoadUnsafe(ref values, at + Lanes)));
                changeY2 = Vector256.Max(changeY2, Vector256.Abs(y2 - Vector256.LoadUnsafe(ref values, at + Lanes + Half)));
                scaleX = Vector256.Max(scaleX, x);
                scaleX2 = Vector256.Max(scaleX2, x2);
                scaleY = Vector256.Max(scaleY, y);
                scaleY2 = Vector256.Max(scaleY2, y2);
                x.StoreUnsafe(ref values, at);
                x2.StoreUnsafe(ref values, at + Half);
                y.StoreUnsafe(ref values, at + Lanes);
                y2.StoreUnsafe(ref values, at + Lanes + Half);
            }

            changeX.CopyTo(changes);
            changeX2.CopyTo(changes[Half..]);
            changeY.CopyTo(changes[Lanes..]);
            changeY2.CopyTo(changes[(Lanes + Half)..]);
            scaleX.CopyTo(scales);
            scaleX2.CopyTo(scales[Half..]);
            scaleY.CopyTo(scales[Lanes..]);
            scaleY2.CopyTo(scales[(Lanes + Half)..]);
        }

        private static Vector256<double>[] BuildMasks()
        {
            var masks = new Vector256<double>[1 << Half];
            for (var m = 0; m < masks.Length; m++)
            {
                masks[m] = Vector256.Create(Bit(m, 0), Bit(m, 1), Bit(m, 2), Bit(m, 3)).AsDouble();
            }

            return masks;

            static long Bit(int mask, int lane) => (mask & (1 << lane)) != 0 ? -1L : 0L;
        }

        /// <summary>
        /// The strongly connected components (Tarjan's algorithm, without recursion), in the order
        /// Tarjan finds them: a component is found only after every component it leads to. Returns
        /// the states in that order and where each component starts.
        /// </summary>
        private static (int[] Order, int[] ComponentStart) Components(MarkovChain chain)
        {
            var n = chain.StateCount;
            var index = new int[n];
            var low = new int[n];
            var onStack = new bool[n];
            Array.Fill(index, -1);
            var stack = new int[n];
            var stackTop = 0;
            var callState = new int[n];
            var callEdge = new int[n];
            var order = new int[n];
            var placed = 0;
            var componentStart = new List<int> { 0 };
            var next = 0;
            for (var root = 0; root < n; root++)
            {
                if (index[root] >= 0)
                {
                    continue;
                }

                var depth = 0;
                callState[0] = root;
                callEdge[0] = chain.OutStart[root];
                index[root] = low[root] = next++;
                stack[stackTop++] = root;
                onStack[root] = true;
                while (depth >= 0)
                {
                    var s = callState[depth];
                    if (callEdge[depth] < chain.OutStart[s + 1])
                    {
                        var t = chain.EdgeTo[chain.OutEdges[callEdge[depth]++]];
                        if (index[t] < 0)
                        {
                            index[t] = low[t] = next++;
                            stack[stackTop++] = t;
                            onStack[t] = true;
                            depth++;
                            callState[depth] = t;
                            callEdge[depth] = chain.OutStart[t];
                        }
                        else if (onStack[t])
                        {
                            low[s] = Math.Min(low[s], index[t]);
                        }

                        continue;
                    }

                    depth--;
                    if (depth >= 0)
                    {
                        var parent = callState[depth];
                        low[parent] = Math.Min(low[parent], low[s]);
                    }

                    if (low[s] == index[s])
                    {
                        int w;
                        do
                        {
                            w = stack[--stackTop];
                            onStack[w] = false;
                            order[placed++] = w;
                        }
                        while (w != s);

                        componentStart.Add(placed);
                    }
                }
            }

            return (order, [.. componentStart]);
        }
    }

    /// <summary>
    /// Stopping rule for a monotone, geometrically converging iteration: stop when the last change is
    /// 0, when the tail bound <c>d r / (1 - r)</c> (r = the larger of the last two contraction ratios) is
    /// below 1e-16 of the solution, or when changes no longer shrink and are down to the last bits.
    /// </summary>
    private struct ConvergenceTracker
    {
        private double _previous;
        private double _previousRatio;
        private int _steps;

        public bool Converged(double change, double scale)
        {
            _steps++;
            var previous = _previous;
            _previous = change;
            if (change == 0)
            {
                return true;
            }

            var tolerance = Tolerance * scale;
            if (_steps < 3 || change >= previous)
            {
                _previousRatio = 1;
                return _steps >= 3 && change <= 4 * tolerance;
            }

            var ratio = change / previous;
            var r = Math.Max(ratio, _previousRatio);
            _previousRatio = ratio;
            return r < 1 && change * r / (1 - r) <= tolerance;
        }
    }
}
