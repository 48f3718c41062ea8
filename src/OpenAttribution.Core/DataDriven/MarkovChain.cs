using OpenAttribution.Core.Paths;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// The absorbing Markov chain of order k observed in a path table (spec section 5). Each path
/// <c>(start) -> s1 -> ... -> sn</c> adds its journeys (conversions + nulls) to every transition it
/// takes, its conversions to <c>sn -> (conversion)</c>, its nulls to <c>sn -> (null)</c> and its value to
/// the value carried by <c>sn</c>. State i is the tuple of the last min(i, k) channels; repeated
/// channels are kept (so <c>a > a</c> is a self-loop at order 1). Only paths with journeys count.
/// </summary>
internal sealed class MarkovChain
{
    private MarkovChain(
        StateIndex states,
        int channelCount,
        int edgeCount,
        int[] edgeFrom,
        int[] edgeTo,
        double[] edgeWeight,
        double[] conversions,
        double[] nulls,
        double[] values)
    {
        States = states;
        ChannelCount = channelCount;
        StateCount = states.Count;
        EdgeCount = edgeCount;
        EdgeFrom = edgeFrom;
        EdgeTo = edgeTo;
        EdgeWeight = edgeWeight;
        Conversions = conversions;
        Nulls = nulls;
        Values = values;

        // Out-edges grouped by state (counting sort keeps first-seen order within a state).
        OutStart = new int[StateCount + 1];
        for (var e = 0; e < edgeCount; e++)
        {
            OutStart[edgeFrom[e] + 1]++;
        }

        for (var s = 0; s < StateCount; s++)
        {
            OutStart[s + 1] += OutStart[s];
        }

        OutEdges = new int[edgeCount];
        var fill = OutStart[..^1];
        for (var e = 0; e < edgeCount; e++)
        {
            OutEdges[fill[edgeFrom[e]]++] = e;
        }

        // Weight leaving each state, split into self-loop and everything else, by summation only.
        Total = new double[StateCount];
        Leave = new double[StateCount];
        for (var s = 0; s < StateCount; s++)
        {
            double leave = conversions[s] + nulls[s];
            double self = 0;
            for (var i = OutStart[s]; i < OutStart[s + 1]; i++)
            {
                var e = OutEdges[i];
                if (edgeTo[e] == s)
                {
                    self += edgeWeight[e];
                }
                else
                {
                    leave += edgeWeight[e];
                }
            }

            Leave[s] = leave;
            Total[s] = leave + self;
        }
    }

    public StateIndex States { get; }

    public int Order => States.Order;

    public int ChannelCount { get; }

    /// <summary>Number of states including <c>(start)</c> (id 0).</summary>
    public int StateCount { get; }

    public int EdgeCount { get; }

    public int[] EdgeFrom { get; }

    public int[] EdgeTo { get; }

    public double[] EdgeWeight { get; }

    /// <summary>Conversions of the paths that end in each state (weight of <c>s -> (conversion)</c>).</summary>
    public double[] Conversions { get; }

    /// <summary>Non-converting journeys ending in each state (weight of <c>s -> (null)</c>).</summary>
    public double[] Nulls { get; }

    /// <summary>
    /// Conversion value of the converting paths that end in each state, counting only paths whose net
    /// value is positive (refunds cannot be a negative absorption weight; see docs/spec-notes.md).
    /// </summary>
    public double[] Values { get; }

    public int[] OutStart { get; }

    public int[] OutEdges { get; }

    /// <summary>All weight leaving a state (transitions, conversions, nulls).</summary>
    public double[] Total { get; }

    /// <summary>Weight leaving a state other than by its self-loop: the exact pivot 1 - p(s,s), times Total.</summary>
    public double[] Leave { get; }

    public static MarkovChain Build(PathTable table, int order)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        var channelCount = table.Channels.Count;
        var states = new StateIndex(order, Math.Min(1 << 12, 64 + table.Count));
        var memo = new LongIntMap(Math.Min(1 << 12, 64 + table.Count));
        var edgeFrom = new int[256];
        var edgeTo = new int[256];
        var edgeWeight = new double[256];
        var edgeCount = 0;
        var conversions = new double[256];
        var nulls = new double[256];
        var values = new double[256];

        for (var p = 0; p < table.Count; p++)
        {
            var conv = table.Conversions[p];
            var nul = table.Nulls[p];
            var value = table.Values[p];
            if (!double.IsFinite(conv) || !double.IsFinite(nul) || !double.IsFinite(value) || conv < 0 || nul < 0)
            {
                throw new Models.ModelInputException(
                    $"Path '{table.PathText(p)}' has a negative or non-finite count or a non-finite value (conversions {conv}, value {value}, nulls {nul}).");
            }

            var journeys = conv + nul;
            if (!(journeys > 0))
            {
                continue;
            }

            var s = 0;
            foreach (var c in table.Path(p))
            {
                var key = ((long)s * channelCount) + c;
                if (!memo.TryGetValue(key, out var e))
                {
                    var t = states.Successor(s, c);
                    e = edgeCount++;
                    if (e == edgeFrom.Length)
                    {
                        Array.Resize(ref edgeFrom, e * 2);
                        Array.Resize(ref edgeTo, e * 2);
                        Array.Resize(ref edgeWeight, e * 2);
                    }

                    edgeFrom[e] = s;
                    edgeTo[e] = t;
                    memo.Add(key, e);
                }

                edgeWeight[e] += journeys;
                s = edgeTo[e];
            }

            if (s >= conversions.Length)
            {
                var size = Math.Max(conversions.Length * 2, states.Count);
                Array.Resize(ref conversions, size);
                Array.Resize(ref nulls, size);
                Array.Resize(ref values, size);
            }

            conversions[s] += conv;
            nulls[s] += nul;
            if (conv > 0 && value > 0)
            {
                values[s] += value; // a path that nets to a refund carries no value into the chain
            }
        }

        var n = states.Count;
        Array.Resize(ref conversions, n);
        Array.Resize(ref nulls, n);
        Array.Resize(ref values, n);
        return new MarkovChain(states, channelCount, edgeCount, edgeFrom, edgeTo, edgeWeight, conversions, nulls, values);
    }

    /// <summary>
    /// For each channel, the states whose tuple contains it (each state once): the states that a
    /// removal of the channel sends to <c>(null)</c>. Compressed rows indexed by channel id.
    /// </summary>
    public (int[] Start, int[] States) StatesByChannel()
    {
        var start = new int[ChannelCount + 1];
        var seen = new int[ChannelCount];
        Array.Fill(seen, -1);
        for (var s = 1; s < StateCount; s++)
        {
            foreach (var c in States.Channels(s))
            {
                if (seen[c] != s)
                {
                    seen[c] = s;
                    start[c + 1]++;
                }
            }
        }

        for (var c = 0; c < ChannelCount; c++)
        {
            start[c + 1] += start[c];
        }

        var list = new int[start[ChannelCount]];
        var fill = start[..^1];
        Array.Fill(seen, -1);
        for (var s = 1; s < StateCount; s++)
        {
            foreach (var c in States.Channels(s))
            {
                if (seen[c] != s)
                {
                    seen[c] = s;
                    list[fill[c]++] = s;
                }
            }
        }

        return (start, list);
    }

    /// <summary>
    /// States from which <c>(conversion)</c> can be reached with positive probability
    /// (<paramref name="valued"/>: reached carrying positive value).
    /// </summary>
    public bool[] CanReachConversion(bool valued)
    {
        var reach = new bool[StateCount];
        var stack = new Stack<int>();
        for (var s = 0; s < StateCount; s++)
        {
            if (Conversions[s] > 0 && (!valued || Values[s] > 0))
            {
                reach[s] = true;
                stack.Push(s);
            }
        }

        // Reverse adjacency.
        var inStart = new int[StateCount + 1];
        for (var e = 0; e < EdgeCount; e++)
        {
            inStart[EdgeTo[e] + 1]++;
        }

        for (var s = 0; s < StateCount; s++)
        {
            inStart[s + 1] += inStart[s];
        }

        var inEdges = new int[EdgeCount];
        var fill = inStart[..^1];
        for (var e = 0; e < EdgeCount; e++)
        {
            inEdges[fill[EdgeTo[e]]++] = EdgeFrom[e];
        }

        while (stack.Count > 0)
        {
            var t = stack.Pop();
            for (var i = inStart[t]; i < inStart[t + 1]; i++)
            {
                var s = inEdges[i];
                if (!reach[s])
                {
                    reach[s] = true;
                    stack.Push(s);
                }
            }
        }

        return reach;
    }

    /// <summary>A state's name: <c>(start)</c>, or its channels joined by commas (<c>alpha,beta</c>).</summary>
    public string StateName(int state, IReadOnlyList<string> channelNames) =>
        state == 0 ? MarkovResult.StartState : string.Join(",", States.Channels(state).ToArray().Select(c => channelNames[c]));
}
