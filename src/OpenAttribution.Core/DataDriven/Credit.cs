namespace OpenAttribution.Core.DataDriven;

/// <summary>Shares a total (of either sign: refunds may make a value total negative) among channels in proportion to non-negative weights.</summary>
internal static class Credit
{
    /// <summary>
    /// <c>total * weight[c] / sum(weight)</c>; all zero when the weights sum to zero (or the total is
    /// zero), so there is never a NaN.
    /// </summary>
    public static double[] Share(double total, ReadOnlySpan<double> weights)
    {
        var credits = new double[weights.Length];
        double sum = 0;
        foreach (var w in weights)
        {
            sum += w;
        }

        if (!(sum > 0) || total == 0 || !double.IsFinite(total))
        {
            return credits;
        }

        for (var c = 0; c < weights.Length; c++)
        {
            credits[c] = total * (weights[c] / sum);
        }

        return credits;
    }
}
