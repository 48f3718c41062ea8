namespace OpenAttribution.Server.Workspaces;

/// <summary>What a key may do: a write key sends events and costs, a read key reads reports.</summary>
internal enum KeyRole
{
    Write,
    Read,
}
