namespace OpenAttribution.Stores.Workspaces;

/// <summary>
/// A workspace as the catalog keeps it: its name, the schema holding its events and costs, and the
/// SHA-256 hashes of its write, read and admin keys (the keys themselves are never stored). A
/// workspace made before admin keys existed has none until one is issued.
/// </summary>
public sealed record WorkspaceRecord(string Name, string Schema, byte[] WriteKeyHash, byte[] ReadKeyHash, DateTimeOffset Created, byte[]? AdminKeyHash = null);
