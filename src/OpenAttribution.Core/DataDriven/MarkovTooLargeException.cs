using System.Globalization;

namespace OpenAttribution.Core.DataDriven;

/// <summary>
/// A Markov chain whose exact removal effects would cost more than the caller allows (a server's
/// limit): refused before any solving, with the figures that explain why.
/// </summary>
public sealed class MarkovTooLargeException : ArgumentException
{
    public MarkovTooLargeException(int order, int keys, int states, int edges, int removals, double work, double limit)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"Markov of order {order} over {keys:N0} keys needs {removals:N0} removal solves on {states:N0} states and {edges:N0} transitions, about {work:0.#e+0} operations, above the limit of {limit:0.#e+0}"))
    {
        Order = order;
        Keys = keys;
        States = states;
        Removals = removals;
        Work = work;
        Limit = limit;
    }

    public int Order { get; }

    public int Keys { get; }

    public int States { get; }

    public int Removals { get; }

    public double Work { get; }

    public double Limit { get; }
}
