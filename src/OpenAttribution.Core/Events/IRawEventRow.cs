namespace OpenAttribution.Core.Events;

/// <summary>One row as a reader sees it: text per field (empty = absent), before validation.</summary>
internal interface IRawEventRow
{
    long Line { get; }

    ReadOnlySpan<char> Get(EventField field);
}
