namespace OpenAttribution.Core.Simulation;

/// <summary>
/// Counts the ground truth person by person: whether each converts with every channel on, with
/// each channel off in turn, and with all off, all decided from the same schedule.
/// </summary>
internal sealed class TruthCounter(IReadOnlyList<string> channels)
{
    private readonly long[] _incremental = new long[channels.Count];
    private readonly ulong _all = (1UL << channels.Count) - 1;
    private long _conversions;
    private long _baseline;

    /// <summary>Adds a person and returns when they convert with every channel on (+infinity: never).</summary>
    public double Add(PersonSchedule person)
    {
        var converts = person.ConversionTime(_all);
        if (!double.IsFinite(converts))
        {
            return converts;
        }

        _conversions++;
        _baseline += double.IsFinite(person.ConversionTime(0)) ? 1 : 0;
        for (var c = 0; c < _incremental.Length; c++)
        {
            _incremental[c] += double.IsFinite(person.ConversionTime(_all & ~(1UL << c))) ? 0 : 1;
        }

        return converts;
    }

    public GroundTruth Result() =>
        new(_conversions, _baseline, channels.Select((c, i) => new ChannelTruth(c, _incremental[i])).ToList());
}
