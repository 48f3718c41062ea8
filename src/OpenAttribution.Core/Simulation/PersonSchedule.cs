namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Everything random about one person, drawn once, before any conversion is decided: their
/// arrival, their baseline draw, every exposure with its own uniforms, and their closing draws.
/// Whether they convert with a set of channels switched on is then a pure function of this
/// schedule (<see cref="ConversionTime"/>), so switching a channel off never shifts anyone's random
/// numbers: the counterfactuals use common random numbers.
/// </summary>
internal sealed class PersonSchedule
{
    private const double Day = 86_400;

    /// <summary>Share of the journey in which <see cref="ExposureTiming.Early"/> exposures fall.</summary>
    public const double EarlyShare = 0.2;

    public PersonSchedule(double arrival, double baselineTime, Exposure[] exposures, double[] closingOffsets)
    {
        Arrival = arrival;
        BaselineTime = baselineTime;
        Exposures = exposures;
        ClosingOffsets = closingOffsets;
    }

    /// <summary>Seconds after the scenario start of the person's first day.</summary>
    public double Arrival { get; }

    /// <summary>When the person converts on their own, or +infinity when they do not.</summary>
    public double BaselineTime { get; }

    /// <summary>Every scheduled exposure, by time.</summary>
    public Exposure[] Exposures { get; }

    /// <summary>Per channel: seconds before a conversion at which the person arrives through it, or NaN when they do not.</summary>
    public double[] ClosingOffsets { get; }

    /// <summary>
    /// Draws person <paramref name="person"/>'s schedule. Each channel draws from a stream of its
    /// own (so one channel's settings never move another's draws), in this order: reach, closing,
    /// closing gap, then while the geometric count continues one uniform, then per exposure its time,
    /// fire and delay uniforms.
    /// </summary>
    public static PersonSchedule Draw(Scenario scenario, long seed, long person)
    {
        var own = Xoshiro256.ForPerson(seed, person);
        var journey = scenario.JourneyDays * Day;
        var arrival = own.NextDouble() * scenario.Days * Day;
        var baselineFire = own.NextDouble();
        var baselineAt = arrival + (own.NextDouble() * journey);
        var baselineTime = baselineFire < scenario.Baseline ? baselineAt : double.PositiveInfinity;

        var exposures = new List<Exposure>();
        var channels = scenario.Channels;
        var closing = new double[channels.Count];
        for (var c = 0; c < channels.Count; c++)
        {
            var channel = channels[c];
            var random = Xoshiro256.ForPerson(unchecked(seed + (long)SplitMix64.Mix((ulong)c + 1)), person);
            var reached = random.NextDouble() < channel.Reach;
            var closes = random.NextDouble() < channel.Closing;
            var gap = random.NextDouble();
            closing[c] = closes ? 60 + (gap * scenario.ClosingHours * 3600) : double.NaN;
            if (!reached)
            {
                continue;
            }

            // Geometric count with mean Frequency: one more exposure while a uniform is below 1 - 1/f.
            var more = 1 - (1 / channel.Frequency);
            var count = 1;
            while (random.NextDouble() < more)
            {
                count++;
            }

            var span = channel.Timing == ExposureTiming.Early ? journey * EarlyShare : journey;
            var drawn = new (double Time, double Fire, double Delay)[count];
            for (var i = 0; i < count; i++)
            {
                var time = arrival + (random.NextDouble() * span);
                var fire = random.NextDouble();
                var delay = 60 - (Math.Log(1 - random.NextDouble()) * channel.DelayDays * Day);
                drawn[i] = (time, fire, delay);
            }

            Array.Sort(drawn, (a, b) => a.Time.CompareTo(b.Time));
            var lift = channel.Lift;
            foreach (var (time, fire, delay) in drawn)
            {
                exposures.Add(new Exposure(c, time, lift, fire, delay));
                lift *= channel.RepeatLift;
            }
        }

        var all = exposures.ToArray();
        Array.Sort(all, (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Channel.CompareTo(b.Channel));
        return new PersonSchedule(arrival, baselineTime, all, closing);
    }

    /// <summary>
    /// When the person converts with only the channels in <paramref name="on"/> (bit c = channel c)
    /// switched on: the earliest of their baseline time and every firing exposure's time plus its
    /// delay; +infinity when nothing fires. An exposure after that time cannot lower it, so exposures
    /// a conversion ends the journey before are correctly ignored.
    /// </summary>
    public double ConversionTime(ulong on)
    {
        var best = BaselineTime;
        foreach (var e in Exposures)
        {
            if (((on >> e.Channel) & 1) != 0 && e.Fires)
            {
                best = Math.Min(best, e.Time + e.Delay);
            }
        }

        return best;
    }
}
