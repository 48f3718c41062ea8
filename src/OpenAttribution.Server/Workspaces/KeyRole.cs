namespace OpenAttribution.Server.Workspaces;

/// <summary>
/// What a key may do: a write key (public, in every tracked page) sends events, and costs unless the
/// server keeps costs to admin keys; a read key reads reports; an admin key (kept by the workspace's
/// owner, never put in a page) may do all of that and replace or delete costs.
/// </summary>
internal enum KeyRole
{
    Write,
    Read,
    Admin,
}
