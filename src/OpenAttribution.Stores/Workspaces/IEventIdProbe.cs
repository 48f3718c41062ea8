namespace OpenAttribution.Stores.Workspaces;

/// <summary>Finds which event ids a workspace has stored already (the ingestion answer counts them as duplicates per request).</summary>
public interface IEventIdProbe
{
    /// <summary>The ids among <paramref name="ids"/> stored in <paramref name="workspace"/>.</summary>
    IReadOnlySet<string> StoredEventIds(WorkspaceRecord workspace, IReadOnlyCollection<string> ids);
}
