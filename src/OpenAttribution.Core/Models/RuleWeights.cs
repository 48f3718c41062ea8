namespace OpenAttribution.Core.Models;

/// <summary>The weights of the rule-based models for one path (spec section 4); they sum to 1.</summary>
public static class RuleWeights
{
    private const double Ln2 = 0.6931471805599453;

    /// <summary>Writes the weight of each touch of a non-empty path into <paramref name="weights"/>.</summary>
    public static void Compute(ModelSpec model, in TouchContext path, Span<double> weights, CustomMatcher? custom = null)
    {
        var n = path.Length;
        if (n == 0)
        {
            throw new ArgumentException("An empty path has no touches to weigh; it is credited to (none).", nameof(path));
        }

        weights = weights[..n];
        weights.Clear();
        switch (model.Kind)
        {
            case ModelKind.FirstTouch:
                weights[0] = 1;
                break;
            case ModelKind.LastTouch:
                weights[n - 1] = 1;
                break;
            case ModelKind.LastNonDirect:
                weights[LastNonDirect(path.Channels, path.DirectId)] = 1;
                break;
            case ModelKind.Linear:
                weights.Fill(1.0 / n);
                break;
            case ModelKind.TimeDecay:
                TimeDecay(path, model.HalfLife.Ticks, weights);
                break;
            case ModelKind.PositionBased:
                PositionBased(n, model.FirstShare, model.LastShare, weights);
                break;
            case ModelKind.Custom:
                var spec = model.Custom ?? throw new ArgumentException("The custom model needs rules.", nameof(model));
                Compute(spec.Base, path, weights);
                (custom ?? new CustomMatcher(spec, null)).Apply(path, weights);
                break;
            default:
                throw new ArgumentException($"'{model.Kind.CliName()}' is not a rule-based model: it weighs paths, not single journeys.", nameof(model));
        }
    }

    public static int LastNonDirect(ReadOnlySpan<int> channels, int directId)
    {
        for (var i = channels.Length - 1; i >= 0; i--)
        {
            if (channels[i] != directId)
            {
                return i;
            }
        }

        return channels.Length - 1;
    }

    public static void PositionBased(int n, double first, double last, Span<double> weights)
    {
        if (n == 1)
        {
            weights[0] = 1;
            return;
        }

        if (n == 2)
        {
            var sum = first + last;
            weights[0] = sum > 0 ? first / sum : 0.5;
            weights[1] = sum > 0 ? last / sum : 0.5;
            return;
        }

        var middle = (1 - first - last) / (n - 2);
        weights[0] = first;
        weights[n - 1] = last;
        weights[1..(n - 1)].Fill(middle);
    }

    public static void TimeDecay(in TouchContext path, long halfLifeTicks, Span<double> weights)
    {
        if (path.Times.IsEmpty)
        {
            throw new ModelInputException("time-decay needs touch timestamps, which a path table does not have.");
        }

        // Relative to the latest touch, so the largest weight is 1 and nothing underflows.
        var n = path.Length;
        var latest = path.Times[n - 1];
        var scale = -Ln2 / halfLifeTicks;
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var w = Math.Exp((latest - path.Times[i]) * scale);
            weights[i] = w;
            sum += w;
        }

        var inv = 1.0 / sum;
        for (var i = 0; i < n; i++)
        {
            weights[i] *= inv;
        }
    }
}
