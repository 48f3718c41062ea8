namespace OpenAttribution.Core.Costs;

/// <summary>Spend on a channel, optionally on one of its campaigns, on a day.</summary>
public sealed record CostRow(DateOnly Date, string Channel, string? Campaign, double Cost, string Currency);
