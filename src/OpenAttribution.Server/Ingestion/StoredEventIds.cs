using OpenAttribution.Core.Events;
using OpenAttribution.Core.Text;
using OpenAttribution.Stores;

namespace OpenAttribution.Server.Ingestion;

/// <summary>
/// The event ids a workspace has stored, as 128-bit hashes in memory (like the file readers'
/// duplicate check: a false match needs about 2^64 ids), so that each request learns its own
/// duplicates without a scan of the store. Loaded from the store when the workspace is opened, in the background
/// (about 32 bytes per stored event with an id); the workspace's writer is its only other writer.
/// </summary>
internal sealed class StoredEventIds : IEventSink
{
    private HashedIds _ids = new(1 << 16, keepIds: false);

    public static StoredEventIds Load(IEventStore store)
    {
        var ids = new StoredEventIds();
        if (store is ICheckedIdsImport idStore)
        {
            // The id column alone: at 10M events about a tenth of reading every event.
            idStore.ReadEventIds(id => ids._ids.Add(id));
        }
        else
        {
            store.ReadEvents(ids);
        }

        return ids;
    }

    /// <summary>Adds <paramref name="id"/>; false when it is stored already or was added before.</summary>
    public bool Add(string id) => _ids.Add(id);

    void IEventSink.Accept(in EventRow row)
    {
        if (!row.EventId.IsEmpty)
        {
            _ids.Add(row.EventId);
        }
    }

    void IEventSink.Reject(InputError error)
    {
    }
}
