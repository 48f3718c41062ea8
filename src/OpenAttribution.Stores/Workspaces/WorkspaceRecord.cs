namespace OpenAttribution.Stores.Workspaces;

/// <summary>
/// A workspace as the catalog keeps it: its name, the schema holding its events and costs, and the
/// SHA-256 hashes of its write and read keys (the keys themselves are never stored).
/// </summary>
public sealed record WorkspaceRecord(string Name, string Schema, byte[] WriteKeyHash, byte[] ReadKeyHash, DateTimeOffset Created);
