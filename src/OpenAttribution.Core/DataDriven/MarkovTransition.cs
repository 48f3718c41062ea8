namespace OpenAttribution.Core.DataDriven;

/// <summary>One entry of the transition matrix: the probability of moving from one state to the next.</summary>
public sealed record MarkovTransition(string From, string To, double Probability);
