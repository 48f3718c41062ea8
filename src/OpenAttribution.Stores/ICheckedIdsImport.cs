namespace OpenAttribution.Stores;

/// <summary>
/// A store that can skip its duplicate check for callers that have done it: the server's ingestion
/// writer, the only writer of its workspace, keeps the workspace's stored event ids and passes only
/// events whose id is new (or absent), so the store need not compare them with every stored id.
/// </summary>
public interface ICheckedIdsImport
{
    /// <summary>
    /// Starts an import like <see cref="IEventStore.BeginImport"/>, whose events the caller guarantees
    /// to have ids neither stored already nor repeated in the import (events without an id are fine).
    /// </summary>
    IStoreImport BeginImportOfCheckedIds();
}
