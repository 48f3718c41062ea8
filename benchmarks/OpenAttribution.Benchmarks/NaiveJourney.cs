using OpenAttribution.Core.Journeys;

namespace OpenAttribution.Benchmarks;

/// <summary>
/// The baseline: journeys as objects with a list of touch objects, each model a separate pass
/// writing into a dictionary by channel name, as a first implementation would.
/// </summary>
internal sealed class NaiveJourney
{
    public required List<NaiveTouch> Touches { get; init; }

    public required DateTime Conversion { get; init; }

    public required double Value { get; init; }

    public static List<NaiveJourney> From(JourneySet set)
    {
        var list = new List<NaiveJourney>(set.Conversions);
        for (var j = 0; j < set.Conversions; j++)
        {
            var touches = new List<NaiveTouch>(set.Length[j]);
            for (var t = set.Start[j]; t < set.Start[j] + set.Length[j]; t++)
            {
                touches.Add(new NaiveTouch(set.Names.Channels[set.TouchChannels[t]], new DateTime(set.TouchTimes[t], DateTimeKind.Utc)));
            }

            list.Add(new NaiveJourney { Touches = touches, Conversion = new DateTime(set.ConversionTimes[j], DateTimeKind.Utc), Value = set.Values[j] });
        }

        return list;
    }

    public static double RunSix(List<NaiveJourney> journeys)
    {
        double check = 0;
        foreach (var model in new Func<NaiveJourney, double[]>[] { First, Last, LastNonDirect, Linear, TimeDecay, Position })
        {
            var credit = new Dictionary<string, (double Conversions, double Value)>();
            foreach (var j in journeys)
            {
                var w = model(j);
                for (var i = 0; i < w.Length; i++)
                {
                    var c = j.Touches[i].Channel;
                    credit.TryGetValue(c, out var v);
                    credit[c] = (v.Conversions + w[i], v.Value + (w[i] * j.Value));
                }
            }

            check += credit.Values.Sum(v => v.Conversions);
        }

        return check;
    }

    private static double[] First(NaiveJourney j)
    {
        var w = new double[j.Touches.Count];
        w[0] = 1;
        return w;
    }

    private static double[] Last(NaiveJourney j)
    {
        var w = new double[j.Touches.Count];
        w[^1] = 1;
        return w;
    }

    private static double[] LastNonDirect(NaiveJourney j)
    {
        var w = new double[j.Touches.Count];
        var i = j.Touches.FindLastIndex(t => t.Channel != "Direct");
        w[i < 0 ? w.Length - 1 : i] = 1;
        return w;
    }

    private static double[] Linear(NaiveJourney j) => Enumerable.Repeat(1.0 / j.Touches.Count, j.Touches.Count).ToArray();

    private static double[] TimeDecay(NaiveJourney j)
    {
        var w = j.Touches.Select(t => Math.Pow(2, -(j.Conversion - t.Time).TotalDays / 7)).ToArray();
        var sum = w.Sum();
        return w.Select(x => x / sum).ToArray();
    }

    private static double[] Position(NaiveJourney j)
    {
        var n = j.Touches.Count;
        var w = new double[n];
        if (n == 1)
        {
            w[0] = 1;
        }
        else if (n == 2)
        {
            w[0] = w[1] = 0.5;
        }
        else
        {
            Array.Fill(w, 0.2 / (n - 2));
            w[0] = 0.4;
            w[^1] = 0.4;
        }

        return w;
    }
}

internal sealed record NaiveTouch(string Channel, DateTime Time);
