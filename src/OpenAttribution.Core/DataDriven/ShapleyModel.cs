using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// Shapley value attribution (Zhao et al. 2018; spec section 5). The worth of a coalition S is the
/// conversions (value) of the paths whose channel set is a subset of S. That game is the sum over
/// the distinct channel sets T of <c>conv(T)</c> times the unanimity game of T, whose Shapley value
/// gives <c>1/|T|</c> to each member of T. So, exactly and in time linear in the number of distinct
/// sets: <c>phi(c) = sum over sets T containing c of conv(T) / |T|</c>. These already sum to the total;
/// the final scaling to the table totals only absorbs rounding. Values may be negative (refunds):
/// the game is linear in them, so a refund lowers the credit of the channels on its path. <c>(none)</c> is no player: it gets the
/// conversions with no touch (<see cref="TouchedPaths"/>).
/// </summary>
public static class ShapleyModel
{
    public static ShapleyResult Compute(PathTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var split = TouchedPaths.Split(table);
        table = split.Table;
        var channelCount = table.Channels.Count;
        var sets = new Dictionary<ChannelSet, int>();
        var setConversions = new List<double>();
        var setValues = new List<double>();
        var setMembers = new List<int[]>();
        var seen = new int[channelCount];
        Array.Fill(seen, -1);
        var buffer = new List<int>();
        for (var p = 0; p < table.Count; p++)
        {
            var conv = table.Conversions[p];
            var value = table.Values[p];
            if (!double.IsFinite(conv) || !double.IsFinite(value) || conv < 0)
            {
                throw new Models.ModelInputException(
                    $"Path '{table.PathText(p)}' has a negative or non-finite count or a non-finite value (conversions {conv}, value {value}).");
            }

            if (conv == 0 && value == 0)
            {
                continue;
            }

            buffer.Clear();
            foreach (var c in table.Path(p))
            {
                if (seen[c] != p)
                {
                    seen[c] = p;
                    buffer.Add(c);
                }
            }

            buffer.Sort();
            var key = new ChannelSet([.. buffer]);
            if (!sets.TryGetValue(key, out var t))
            {
                t = setConversions.Count;
                sets.Add(key, t);
                setConversions.Add(0);
                setValues.Add(0);
                setMembers.Add(key.Channels);
            }

            setConversions[t] += conv;
            setValues[t] += value;
        }

        // The game is linear in the paths' values, so a refund (a negative value) simply lowers the
        // worth of the coalitions that hold its path: phi stays exact and sums to the total. The final
        // scaling only absorbs rounding, and with weights of both signs it could divide by a sum near
        // zero, so it is skipped when any channel set nets negative.
        var refunds = setValues.Exists(v => v < 0);

        var phi = new double[channelCount];
        var phiValue = new double[channelCount];
        for (var t = 0; t < setMembers.Count; t++)
        {
            var members = setMembers[t];
            var share = setConversions[t] / members.Length;
            var valueShare = setValues[t] / members.Length;
            foreach (var c in members)
            {
                phi[c] += share;
                phiValue[c] += valueShare;
            }
        }

        return new ShapleyResult(
            table.Channels,
            split.WithNone(Credit.Share(table.TotalConversions, phi), split.NoneConversions),
            split.WithNone(refunds ? phiValue : Credit.Share(table.TotalValue, phiValue), split.NoneValue),
            setMembers.Count);
    }

    private readonly struct ChannelSet : IEquatable<ChannelSet>
    {
        private readonly int _hash;

        public ChannelSet(int[] channels)
        {
            Channels = channels;
            var h = new HashCode();
            foreach (var c in channels)
            {
                h.Add(c);
            }

            _hash = h.ToHashCode();
        }

        /// <summary>Sorted, distinct channel ids.</summary>
        public int[] Channels { get; }

        public bool Equals(ChannelSet other) => _hash == other._hash && Channels.AsSpan().SequenceEqual(other.Channels);

        public override bool Equals(object? obj) => obj is ChannelSet other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
