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

    /// <summary>
    /// Hands every stored event id to <paramref name="onId"/> (in no particular order; the span is
    /// valid only during the call): how such a caller learns the stored ids, reading that one column.
    /// </summary>
    long ReadEventIds(EventIdAction onId, CancellationToken cancellationToken = default);
}

/// <summary>Receives one stored event id.</summary>
public delegate void EventIdAction(ReadOnlySpan<char> id);
