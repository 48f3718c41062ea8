using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.Tests.DataDriven;

/// <summary>
/// The Shapley value by its definition, enumerating every coalition:
/// <c>phi(c) = sum over S not containing c of |S|! (n - |S| - 1)! / n! * (v(S + c) - v(S))</c>,
/// with <c>v(S)</c> = the total (conversions or value) of the paths whose channel set is inside S.
/// </summary>
internal static class ShapleyBruteForce
{
    public static double[] Values(PathTable table, double[] totals)
    {
        var n = table.Channels.Count;
        Assert.InRange(n, 0, 16);
        var masks = new int[table.Count];
        for (var p = 0; p < table.Count; p++)
        {
            foreach (var c in table.Path(p))
            {
                masks[p] |= 1 << c;
            }
        }

        var worth = new double[1 << n];
        for (var s = 0; s < worth.Length; s++)
        {
            for (var p = 0; p < table.Count; p++)
            {
                if ((masks[p] & ~s) == 0)
                {
                    worth[s] += totals[p];
                }
            }
        }

        var factorial = new double[n + 1];
        factorial[0] = 1;
        for (var i = 1; i <= n; i++)
        {
            factorial[i] = factorial[i - 1] * i;
        }

        var phi = new double[n];
        for (var c = 0; c < n; c++)
        {
            for (var s = 0; s < worth.Length; s++)
            {
                if ((s & (1 << c)) != 0)
                {
                    continue;
                }

                var size = System.Numerics.BitOperations.PopCount((uint)s);
                var weight = factorial[size] * factorial[n - size - 1] / factorial[n];
                phi[c] += weight * (worth[s | (1 << c)] - worth[s]);
            }
        }

        return phi;
    }
}
