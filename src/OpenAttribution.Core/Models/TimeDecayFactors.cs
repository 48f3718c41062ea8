using System.Runtime.Intrinsics;

namespace OpenAttribution.Core.Models;

/// <summary>
/// Per-touch time-decay factors <c>2^((t - T0) / h)</c> for one reference time T0, computed with
/// vectorised exp over a sliding window of touches (paths come in increasing order of their first
/// touch, so each touch is computed about once, in a buffer that stays in cache). Normalised over a
/// path they are exactly the time-decay weights: the conversion time cancels out. Paths whose
/// factors under- or overflow use the direct formula instead.
/// </summary>
internal sealed class TimeDecayFactors
{
    private const double Ln2 = 0.6931471805599453;
    private const int Window = 1 << 14;

    private readonly long[] _times;
    private readonly long _reference;
    private readonly double _scale;
    private double[] _buffer = new double[Window];
    private int _base = -1;
    private int _count;

    public TimeDecayFactors(long[] times, long halfLifeTicks)
    {
        _times = times;
        _scale = Ln2 / halfLifeTicks;
        if (times.Length > 0)
        {
            long min = long.MaxValue, max = long.MinValue;
            foreach (var t in times)
            {
                min = Math.Min(min, t);
                max = Math.Max(max, t);
            }

            _reference = min + ((max - min) / 2);
        }
    }

    /// <summary>The factors of touches <c>start .. start + length</c>.</summary>
    public ReadOnlySpan<double> Get(int start, int length)
    {
        if (_base < 0 || start < _base || start + length > _base + _count)
        {
            Fill(start, Math.Max(length, Math.Min(Window, _times.Length - start)));
        }

        return _buffer.AsSpan(start - _base, length);
    }

    private void Fill(int start, int count)
    {
        if (count > _buffer.Length)
        {
            _buffer = new double[count];
        }

        var f = _buffer.AsSpan(0, count);
        var times = _times.AsSpan(start, count);
        for (var k = 0; k < f.Length; k++)
        {
            f[k] = (times[k] - _reference) * _scale;
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= f.Length - 4; i += 4)
            {
                Vector256.Exp(Vector256.Create<double>(f.Slice(i, 4))).CopyTo(f.Slice(i, 4));
            }
        }

        for (; i < f.Length; i++)
        {
            f[i] = Math.Exp(f[i]);
        }

        _base = start;
        _count = count;
    }

    /// <summary>True when a path's largest factor and sum are normal doubles far from the limits.</summary>
    public static bool IsSafe(double largest, double sum) => largest > 1e-280 && sum < 1e280 && double.IsFinite(sum);
}
