namespace OpenAttribution.Core.Events;

/// <summary>What a reader saw: data rows, rows that passed validation, rows rejected.</summary>
public sealed record ReadSummary(long Rows, long Valid, long Rejected);
