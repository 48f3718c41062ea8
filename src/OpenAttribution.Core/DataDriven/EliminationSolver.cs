using System.Numerics;
using System.Runtime.InteropServices;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// Solves the absorbing chain by state elimination (Grassmann-Taksar-Heyman): eliminating a transient
/// state j sends each transition <c>i -> j</c> on to j's successors with probability
/// <c>p(i,j) p(j,l) / (1 - p(j,j))</c>, where the pivot <c>1 - p(j,j)</c> is computed as the sum of j's
/// other outgoing probabilities (to states, <c>(conversion)</c> and <c>(null)</c>). Every operation adds
/// non-negative numbers, so there is no cancellation and the result is exact to a few ulps.
/// When every state but <c>(start)</c> is gone, <c>p((start), (conversion))</c> is P, and the carried
/// value reward is E.
/// <para>
/// Removals share work by divide and conquer over the channels: a node holds the chain reduced to the
/// states that contain one of its channels (all others are alive in every removal below it and are
/// already eliminated). Each half of the channels gets a copy with the states that only the other
/// half contains eliminated. At a leaf (one channel c) the remaining states all contain c and lead to
/// <c>(null)</c> when c is removed, so <c>p((start), (conversion))</c> there is P without c. With m
/// states of order 1 the total work is about 0.4 m^3 multiply-adds (vectorised), not m removals times
/// a full solve.
/// </para>
/// </summary>
internal static class EliminationSolver
{
    /// <summary>Largest number of states handled densely (the root matrix has this many squared entries).</summary>
    public const int MaxStates = 3000;

    public static RemovalSolution Solve(MarkovChain chain, IReadOnlyList<int> channels, int[] byChannelStart, CancellationToken cancellationToken = default)
    {
        var result = new RemovalSolution(chain.ChannelCount) { Solver = MarkovSolverKind.Elimination };
        if (channels.Count == 0)
        {
            throw new ArgumentException("At least one channel must be solved for.", nameof(channels));
        }

        var position = new int[chain.ChannelCount];
        Array.Fill(position, -1);
        for (var i = 0; i < channels.Count; i++)
        {
            position[channels[i]] = i;
        }

        var context = new Context(chain, channels, position, result, cancellationToken);
        var root = DenseSystem.FromChain(chain);
        var top = context.Child(root, 0, channels.Count);
        context.Recurse(top, 0, channels.Count, 0);
        return result;
    }

    private sealed class Context(MarkovChain chain, IReadOnlyList<int> channels, int[] position, RemovalSolution result, CancellationToken cancellationToken)
    {
        public void Recurse(DenseSystem system, int lo, int hi, int depth)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (hi - lo == 1)
            {
                var c = channels[lo];
                result.ProbabilityWithout[c] = system.Conversion[0];
                result.ValueWithout[c] = system.Value[0];
                if (lo == 0)
                {
                    // The leftmost leaf also finishes the whole chain: P and E.
                    for (var j = system.Size - 1; j >= 1; j--)
                    {
                        system.Eliminate(j);
                    }

                    result.Probability = system.Conversion[0];
                    result.Value = system.Value[0];
                }

                return;
            }

            var mid = (lo + hi) / 2;
            if (depth < 2 && system.Size >= 128)
            {
                Parallel.Invoke(
                    Parallelism.Options(cancellationToken),
                    () => Recurse(Child(system, lo, mid), lo, mid, depth + 1),
                    () => Recurse(Child(system, mid, hi), mid, hi, depth + 1));
            }
            else
            {
                Recurse(Child(system, lo, mid), lo, mid, depth + 1);
                Recurse(Child(system, mid, hi), mid, hi, depth + 1);
            }
        }

        /// <summary>
        /// A copy of <paramref name="parent"/> reduced to <c>(start)</c> and the states containing one of
        /// channels[lo..hi): the other states are put last and eliminated.
        /// </summary>
        public DenseSystem Child(DenseSystem parent, int lo, int hi)
        {
            var keep = new List<int>(parent.Size) { 0 };
            var drop = new List<int>();
            for (var i = 1; i < parent.Size; i++)
            {
                var relevant = false;
                foreach (var c in chain.States.Channels(parent.States[i]))
                {
                    var p = position[c];
                    if (p >= lo && p < hi)
                    {
                        relevant = true;
                        break;
                    }
                }

                (relevant ? keep : drop).Add(i);
            }

            var kept = keep.Count;
            keep.AddRange(drop);
            var child = parent.Permuted(keep);
            for (var j = child.Size - 1; j >= kept; j--)
            {
                if ((j & 63) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                child.Eliminate(j);
            }

            child.Size = kept;
            return child;
        }
    }

    /// <summary>
    /// Transition probabilities among the transient states still present (row-major, square with
    /// the given stride), plus the probability of absorbing in <c>(conversion)</c> and <c>(null)</c> and
    /// the value reward per visit of each state. Local state 0 is <c>(start)</c>.
    /// </summary>
    private sealed class DenseSystem
    {
        private readonly int _stride;
        private readonly double[] _m;

        private DenseSystem(int size)
        {
            Size = size;
            _stride = size;
            _m = new double[checked(size * size)];
            Conversion = new double[size];
            Null = new double[size];
            Value = new double[size];
            States = new int[size];
        }

        public int Size { get; set; }

        public double[] Conversion { get; }

        public double[] Null { get; }

        public double[] Value { get; }

        /// <summary>Chain state id of each local state.</summary>
        public int[] States { get; }

        public static DenseSystem FromChain(MarkovChain chain)
        {
            var n = chain.StateCount;
            var system = new DenseSystem(n);
            for (var s = 0; s < n; s++)
            {
                var total = chain.Total[s];
                system.States[s] = s;
                system.Conversion[s] = chain.Conversions[s] / total;
                system.Null[s] = chain.Nulls[s] / total;
                system.Value[s] = chain.Conversions[s] > 0 ? chain.Values[s] / total : 0;
                for (var i = chain.OutStart[s]; i < chain.OutStart[s + 1]; i++)
                {
                    var e = chain.OutEdges[i];
                    system._m[(s * n) + chain.EdgeTo[e]] += chain.EdgeWeight[e] / total;
                }
            }

            return system;
        }

        public DenseSystem Permuted(List<int> order)
        {
            var m = order.Count;
            var child = new DenseSystem(m);
            for (var a = 0; a < m; a++)
            {
                var from = order[a];
                var source = _m.AsSpan(from * _stride, _stride);
                var target = child._m.AsSpan(a * m, m);
                for (var b = 0; b < m; b++)
                {
                    target[b] = source[order[b]];
                }

                child.Conversion[a] = Conversion[from];
                child.Null[a] = Null[from];
                child.Value[a] = Value[from];
                child.States[a] = States[from];
            }

            return child;
        }

        /// <summary>Eliminates local state j; every state after j must already be eliminated.</summary>
        public void Eliminate(int j)
        {
            var rowJ = _m.AsSpan(j * _stride, j);
            double pivot = Conversion[j] + Null[j];
            foreach (var p in rowJ)
            {
                pivot += p;
            }

            if (!(pivot > 0))
            {
                // j cannot be left: unreachable from (start) with positive weight; drop its inflow.
                for (var i = 0; i < j; i++)
                {
                    _m[(i * _stride) + j] = 0;
                }

                return;
            }

            var conv = Conversion[j];
            var nul = Null[j];
            var value = Value[j];
            for (var i = 0; i < j; i++)
            {
                var mij = _m[(i * _stride) + j];
                if (mij == 0)
                {
                    continue;
                }

                var f = mij / pivot;
                _m[(i * _stride) + j] = 0;
                MultiplyAdd(f, rowJ, _m.AsSpan(i * _stride, j));
                Conversion[i] += f * conv;
                Null[i] += f * nul;
                Value[i] += f * value;
            }
        }

        private static void MultiplyAdd(double f, ReadOnlySpan<double> x, Span<double> y)
        {
            var i = 0;
            if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
            {
                var vf = new Vector<double>(f);
                var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
                var ys = MemoryMarshal.Cast<double, Vector<double>>(y);
                for (var k = 0; k < xs.Length; k++)
                {
                    ys[k] += vf * xs[k];
                }

                i = xs.Length * Vector<double>.Count;
            }

            for (; i < x.Length; i++)
            {
                y[i] += f * x[i];
            }
        }
    }
}
