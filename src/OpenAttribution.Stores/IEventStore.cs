using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Stores;

/// <summary>
/// Where events live between runs (spec sections 1, 2, 7). Every backend keeps the raw fields of
/// each accepted event with a global input order (<c>seq</c>), so that journeys rebuilt from the
/// store equal journeys built from the files that were imported, for every option.
/// </summary>
public interface IEventStore : IDisposable
{
    /// <summary>For messages: the backend and where it is (never a password).</summary>
    string Description { get; }

    /// <summary>
    /// Starts the import of one file. Nothing of it is visible until <see cref="IStoreImport.Commit"/>;
    /// a crash or a dispose without commit leaves the store as it was.
    /// </summary>
    IStoreImport BeginImport();

    /// <summary>
    /// Streams every stored event to <paramref name="sink"/> in input order (the order of import, and
    /// within a file the order of its rows). Returns the number of events.
    /// </summary>
    long ReadEvents(IEventSink sink, CancellationToken cancellationToken = default);

    /// <summary>Number of stored events.</summary>
    long CountEvents();

    /// <summary>Adds cost rows atomically (all or nothing).</summary>
    void ImportCosts(IReadOnlyList<CostRow> rows);

    /// <summary>
    /// In one transaction, deletes the cost rows dated from <paramref name="from"/> to
    /// <paramref name="to"/> (both included; null: open) and adds <paramref name="rows"/>; returns the
    /// number deleted. A ClickHouse store keeps costs append-only (<see cref="NotSupportedException"/>).
    /// </summary>
    long ReplaceCosts(DateOnly? from, DateOnly? to, IReadOnlyList<CostRow> rows);

    /// <summary>Every stored cost row, ordered by date, channel, campaign.</summary>
    IReadOnlyList<CostRow> ReadCosts();
}

/// <summary>One file's import in progress: a transaction.</summary>
public interface IStoreImport : IDisposable
{
    /// <summary>Buffers a validated event (spans are copied).</summary>
    void Add(in EventRow row);

    /// <summary>
    /// Stores the added events atomically, dropping those whose <c>event_id</c> is already stored or
    /// repeated earlier in this import (events without an id are always stored).
    /// </summary>
    ImportCounts Commit();
}

/// <summary>What a committed import did: events stored and events dropped as duplicates.</summary>
public sealed record ImportCounts(long Stored, long Duplicates);
