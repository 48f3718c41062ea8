namespace OpenAttribution.Core.Text;

/// <summary>
/// Neumaier's compensated sum: the running rounding error is carried beside the sum, so adding many
/// numbers loses about one rounding in all instead of one per addition (report totals read 4379, not
/// 4379.000000000012).
/// </summary>
public struct CompensatedSum
{
    private double _sum;
    private double _carry;

    public readonly double Value => _sum + _carry;

    public void Add(double x)
    {
        var t = _sum + x;
        _carry += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
        _sum = t;
    }

    public static double Of(ReadOnlySpan<double> values)
    {
        var sum = default(CompensatedSum);
        foreach (var x in values)
        {
            sum.Add(x);
        }

        return sum.Value;
    }
}
