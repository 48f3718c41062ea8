namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// Solves the absorbing chain for P (and E) with and without each channel by Gauss-Seidel.
/// <para>
/// The chain has two parts. States shorter than the order (the first k-1 touches of a path, and
/// <c>(start)</c>) never lie on a cycle: their successors are one channel longer. States of full length
/// lead only to full-length states, and only these can form cycles. So the full-length block is
/// iterated, and the short states are then solved exactly in one pass, longest first.
/// </para>
/// <para>
/// Each update is <c>x_s = (C_s + sum_{t != s} w_st x_t) / L_s</c> with raw weights: the self-loop is
/// folded exactly into the pivot <c>L_s</c>, the weight leaving s other than by its self-loop, which is a
/// sum of non-negative terms (no <c>1 - p</c> cancellation). All terms are non-negative, so the iterates
/// move monotonically to the fixed point (up from zero for the base chain; down from the base
/// solution, with the removed states zeroed, for a removal). Sweeps stop when the last update is 0,
/// or when the geometric tail bound <c>d r / (1 - r)</c> (d = largest change of the last sweep,
/// r = its contraction ratio) is below 1e-16 of the solution, or when the changes stop shrinking
/// at the level of the last bits.
/// </para>
/// </summary>
internal static class GaussSeidelSolver
{
    private const double Tolerance = 1e-16;
    private const int MaxSweeps = 1_000_000;

    public static RemovalSolution Solve(MarkovChain chain, IReadOnlyList<int> channels, int[] byChannelStart, int[] byChannelStates, CancellationToken cancellationToken = default)
    {
        var system = new SparseSystem(chain);
        var result = new RemovalSolution(chain.ChannelCount) { Solver = MarkovSolverKind.GaussSeidel };
        var x = new double[chain.StateCount];
        var y = new double[chain.StateCount];
        system.Solve(x, y, null);
        result.Probability = x[0];
        result.Value = y[0];
        Array.Fill(result.ProbabilityWithout, x[0]);
        Array.Fill(result.ValueWithout, y[0]);

        Parallel.For(
            0,
            channels.Count,
            Parallelism.Options(cancellationToken),
            () => (X: new double[chain.StateCount], Y: new double[chain.StateCount], Dead: new bool[chain.StateCount]),
            (i, _, local) =>
            {
                var c = channels[i];
                var dead = byChannelStates.AsSpan(byChannelStart[c], byChannelStart[c + 1] - byChannelStart[c]);
                x.CopyTo(local.X, 0);
                y.CopyTo(local.Y, 0);
                foreach (var s in dead)
                {
                    local.Dead[s] = true;
                    local.X[s] = 0;
                    local.Y[s] = 0;
                }

                system.Solve(local.X, local.Y, local.Dead);
                result.ProbabilityWithout[c] = local.X[0];
                result.ValueWithout[c] = local.Y[0];
                foreach (var s in dead)
                {
                    local.Dead[s] = false;
                }

                return local;
            },
            _ => { });
        return result;
    }

    /// <summary>The chain as compressed rows without self-loops, and the sweep order.</summary>
    private sealed class SparseSystem
    {
        private readonly int[] _rowStart;
        private readonly int[] _to;
        private readonly double[] _weight;
        private readonly double[] _conversions;
        private readonly double[] _values;
        private readonly double[] _leave;
        private readonly int[] _full;
        private readonly int[] _short; // shorter states, longest first, ending with (start)

        public SparseSystem(MarkovChain chain)
        {
            var n = chain.StateCount;
            _rowStart = new int[n + 1];
            var to = new List<int>(chain.EdgeCount);
            var weight = new List<double>(chain.EdgeCount);
            for (var s = 0; s < n; s++)
            {
                for (var i = chain.OutStart[s]; i < chain.OutStart[s + 1]; i++)
                {
                    var e = chain.OutEdges[i];
                    if (chain.EdgeTo[e] != s)
                    {
                        to.Add(chain.EdgeTo[e]);
                        weight.Add(chain.EdgeWeight[e]);
                    }
                }

                _rowStart[s + 1] = to.Count;
            }

            _to = [.. to];
            _weight = [.. weight];
            _conversions = chain.Conversions;
            _leave = chain.Leave;
            _values = new double[n];
            for (var s = 0; s < n; s++)
            {
                // Value reward: C_s * mean value of the conversions ending in s = their total value.
                _values[s] = chain.Conversions[s] > 0 ? chain.Values[s] : 0;
            }

            var k = chain.Order;
            var full = new List<int>();
            var byLength = new List<int>[k];
            for (var l = 0; l < k; l++)
            {
                byLength[l] = [];
            }

            for (var s = 0; s < n; s++)
            {
                var l = chain.States.Length(s);
                if (l == k)
                {
                    full.Add(s);
                }
                else
                {
                    byLength[l].Add(s);
                }
            }

            _full = [.. full];
            _short = [.. Enumerable.Range(0, k).Reverse().SelectMany(l => byLength[l])];
        }

        /// <summary>Solves in place; <paramref name="x"/> and <paramref name="y"/> hold the start point (0 on dead states).</summary>
        public void Solve(double[] x, double[] y, bool[]? dead)
        {
            var trackX = new ConvergenceTracker();
            var trackY = new ConvergenceTracker();
            for (var sweep = 0; sweep < MaxSweeps && _full.Length > 0; sweep++)
            {
                double dx = 0, dy = 0, sx = 0, sy = 0;
                foreach (var s in _full)
                {
                    if (dead is not null && dead[s])
                    {
                        continue;
                    }

                    Update(s, x, y, out var a, out var b);
                    dx = Math.Max(dx, Math.Abs(a - x[s]));
                    dy = Math.Max(dy, Math.Abs(b - y[s]));
                    sx = Math.Max(sx, a);
                    sy = Math.Max(sy, b);
                    x[s] = a;
                    y[s] = b;
                }

                var doneX = trackX.Converged(dx, sx);
                var doneY = trackY.Converged(dy, sy);
                if (doneX && doneY)
                {
                    break;
                }
            }

            foreach (var s in _short)
            {
                if (dead is not null && dead[s])
                {
                    continue;
                }

                Update(s, x, y, out x[s], out y[s]);
            }
        }

        private void Update(int s, double[] x, double[] y, out double a, out double b)
        {
            a = _conversions[s];
            b = _values[s];
            for (var i = _rowStart[s]; i < _rowStart[s + 1]; i++)
            {
                var t = _to[i];
                var w = _weight[i];
                a += w * x[t];
                b += w * y[t];
            }

            a /= _leave[s];
            b /= _leave[s];
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
