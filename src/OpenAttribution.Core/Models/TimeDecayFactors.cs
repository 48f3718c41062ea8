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
    private double[] _buffer;
    private int _base = -1;
    private int _count;

    /// <param name="reference">T0: the middle of all touch times (<see cref="Journeys.JourneySet.TimeReference"/>).</param>
    public TimeDecayFactors(long[] times, long halfLifeTicks, long reference)
    {
        _times = times;
        _scale = Ln2 / halfLifeTicks;
        _reference = reference;
        _buffer = new double[Math.Min(Window, times.Length)];
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

        // Every factor through the same function, wherever it falls in the window: a batch of a larger
        // set (other windows) then gets the same bits as the whole set.
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= f.Length - 4; i += 4)
            {
                Vector256.Exp(Vector256.Create<double>(f.Slice(i, 4))).CopyTo(f.Slice(i, 4));
            }

            if (i < f.Length)
            {
                Span<double> tail = stackalloc double[4];
                tail.Clear();
                f[i..].CopyTo(tail);
                Vector256.Exp(Vector256.Create<double>(tail)).CopyTo(tail);
                tail[..(f.Length - i)].CopyTo(f[i..]);
            }
        }
        else
        {
            for (; i < f.Length; i++)
            {
                f[i] = Math.Exp(f[i]);
            }
        }

        _base = start;
        _count = count;
    }

    /// <summary>True when a path's largest factor and sum are normal doubles far from the limits.</summary>
    public static bool IsSafe(double largest, double sum) => largest > 1e-280 && sum < 1e280 && double.IsFinite(sum);
}
