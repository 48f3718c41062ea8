using OpenAttribution.Core.Events;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Server.Ingestion;

/// <summary>Collects a request's valid events and its rejections (index in the body and reason).</summary>
internal sealed class IngestSink : IEventSink
{
    public List<IngestEvent> Events { get; } = [];

    public List<RejectedEvent> Rejected { get; } = [];

    public void Accept(in EventRow row) => Events.Add(IngestEvent.From(row));

    public void Reject(InputError error)
    {
        var message = error.Value.Length == 0 ? $"{error.Field}: {error.Reason}" : $"{error.Field} '{error.Value}': {error.Reason}";

        // The validator may report several problems of one event; the answer lists each event once.
        if (Rejected.Count > 0 && Rejected[^1].Index == error.Line)
        {
            Rejected[^1] = Rejected[^1] with { Error = Rejected[^1].Error + "; " + message };
            return;
        }

        Rejected.Add(new RejectedEvent(error.Line, message));
    }
}
