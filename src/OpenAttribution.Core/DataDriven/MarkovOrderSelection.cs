using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.DataDriven;

/// <summary>How well the Markov chain of one order separates converting from non-converting journeys.</summary>
/// <param name="Order">The chain's order.</param>
/// <param name="States">States of the chain of this order, <c>(start)</c> included (as <see cref="MarkovResult.StateCount"/>).</param>
/// <param name="Auc">ROC AUC of the chain's conversion probability, fitted and scored on every journey.</param>
/// <param name="HeldOutAuc">ROC AUC on journeys held out of the fit (k-fold), the figure the choice is made on.</param>
public sealed record MarkovOrderScore(int Order, int States, double Auc, double HeldOutAuc);

/// <summary>The order chosen, and the evidence: every order's scores.</summary>
public sealed record MarkovOrderChoice(int Order, IReadOnlyList<MarkovOrderScore> Scores, int Folds, double Tolerance);

/// <summary>
/// Chooses the order of the Markov chain from the data, as ChannelAttribution's <c>choose_order</c>
/// does, by the area under the ROC curve; see docs/reference.md ("Choosing the order").
/// <para>
/// The chain of order k predicts that a journey whose path ends in state s (its last k channels)
/// converts with probability <c>p(s, conversion) / (p(s, conversion) + p(s, null))</c>: the chance
/// that a walk absorbed from s is absorbed in <c>(conversion)</c>. The journeys are split into
/// <c>folds</c> parts at random (seeded; a row of c journeys spreads them over the parts); each part
/// is scored by the chain fitted on the others, backing off to the order below where the fit never saw
/// the end state (and to the overall rate below order 1). The held-out AUC pools every part's
/// scores, with ties counted half. The order chosen is the smallest whose held-out AUC is within
/// <c>tolerance</c> of the best: a higher order must separate held-out journeys better to be taken.
/// </para>
/// </summary>
public static class MarkovOrderSelection
{
    public const int DefaultMaxOrder = 10;
    public const int DefaultFolds = 5;
    public const double DefaultTolerance = 0.001;

    public static MarkovOrderChoice Choose(
        PathTable table,
        int maxOrder = DefaultMaxOrder,
        int folds = DefaultFolds,
        int seed = 0,
        double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var touched = TouchedPaths.Split(table).Table;
        var rows = touched.Count;
        if (!(touched.TotalConversions > 0) || !(touched.TotalNulls > 0))
        {
            throw new Models.ModelInputException(
                "Choosing the Markov order needs converting and non-converting journeys with a touch (total_conversions and total_null), to tell them apart.");
        }

        // Each row's journeys spread over the folds: conv[p * folds + f], nulls[p * folds + f].
        var random = new Random(seed);
        var conv = new double[rows * folds];
        var nulls = new double[rows * folds];
        for (var p = 0; p < rows; p++)
        {
            Spread(touched.Conversions[p], conv.AsSpan(p * folds, folds), random);
            Spread(touched.Nulls[p], nulls.AsSpan(p * folds, folds), random);
        }

        // Order 0: the overall rate of the journeys outside each fold.
        var foldConv = new double[folds];
        var foldJourneys = new double[folds];
        for (var p = 0; p < rows; p++)
        {
            for (var f = 0; f < folds; f++)
            {
                foldConv[f] += conv[(p * folds) + f];
                foldJourneys[f] += conv[(p * folds) + f] + nulls[(p * folds) + f];
            }
        }

        var totalConv = foldConv.Sum();
        var totalJourneys = foldJourneys.Sum();
        var heldOut = new double[rows * folds]; // the current order's held-out score of each (row, fold)
        for (var p = 0; p < rows; p++)
        {
            for (var f = 0; f < folds; f++)
            {
                heldOut[(p * folds) + f] = (totalConv - foldConv[f]) / (totalJourneys - foldJourneys[f]);
            }
        }

        var scores = new List<MarkovOrderScore>();
        var inSample = new double[rows];
        var end = new int[rows];
        for (var order = 1; order <= maxOrder; order++)
        {
            var states = new StateIndex(order, Math.Min(1 << 12, 64 + rows));
            for (var p = 0; p < rows; p++)
            {
                var s = 0;
                foreach (var c in touched.Path(p))
                {
                    s = states.Successor(s, c);
                }

                end[p] = s;
            }

            var n = states.Count;
            var stateConv = new double[n * folds];
            var stateJourneys = new double[n * folds];
            var allConv = new double[n];
            var allJourneys = new double[n];
            for (var p = 0; p < rows; p++)
            {
                var s = end[p];
                for (var f = 0; f < folds; f++)
                {
                    var c = conv[(p * folds) + f];
                    var j = c + nulls[(p * folds) + f];
                    stateConv[(s * folds) + f] += c;
                    stateJourneys[(s * folds) + f] += j;
                    allConv[s] += c;
                    allJourneys[s] += j;
                }
            }

            for (var p = 0; p < rows; p++)
            {
                var s = end[p];
                inSample[p] = allConv[s] / allJourneys[s];
                for (var f = 0; f < folds; f++)
                {
                    var trained = allJourneys[s] - stateJourneys[(s * folds) + f];
                    if (trained > 1e-9 * allJourneys[s])
                    {
                        heldOut[(p * folds) + f] = (allConv[s] - stateConv[(s * folds) + f]) / trained;
                    }

                    // else: the fit never saw this end state; keep the order below's score.
                }
            }

            scores.Add(new MarkovOrderScore(order, n, Auc(inSample, touched.Conversions, touched.Nulls), Auc(heldOut, conv, nulls)));
        }

        var best = scores.Max(s => s.HeldOutAuc);
        var chosen = scores.First(s => s.HeldOutAuc >= best - tolerance).Order;
        return new MarkovOrderChoice(chosen, scores, folds, tolerance);
    }

    /// <summary>
    /// Spreads <paramref name="count"/> journeys over the folds: an equal whole share each, and the
    /// remaining whole journeys to folds drawn at random; a fractional count is shared equally.
    /// </summary>
    private static void Spread(double count, Span<double> folds, Random random)
    {
        if (!(count > 0))
        {
            return;
        }

        if (count != Math.Floor(count))
        {
            folds.Fill(count / folds.Length);
            return;
        }

        var share = Math.Floor(count / folds.Length);
        folds.Fill(share);
        for (var left = (int)(count - (share * folds.Length)); left > 0; left--)
        {
            folds[random.Next(folds.Length)]++;
        }
    }

    /// <summary>
    /// The weighted ROC AUC of <paramref name="score"/>: the chance that a converting journey scores
    /// above a non-converting one, ties counted half.
    /// </summary>
    internal static double Auc(double[] score, double[] positive, double[] negative)
    {
        var order = Enumerable.Range(0, score.Length).Where(i => positive[i] > 0 || negative[i] > 0).ToArray();
        Array.Sort(order, (a, b) => score[a].CompareTo(score[b]));
        double below = 0, area = 0, positives = 0;
        for (var i = 0; i < order.Length;)
        {
            double groupPositive = 0, groupNegative = 0;
            var j = i;
            for (; j < order.Length && score[order[j]] == score[order[i]]; j++)
            {
                groupPositive += positive[order[j]];
                groupNegative += negative[order[j]];
            }

            area += groupPositive * (below + (0.5 * groupNegative));
            below += groupNegative;
            positives += groupPositive;
            i = j;
        }

        return positives > 0 && below > 0 ? area / (positives * below) : double.NaN;
    }
}
