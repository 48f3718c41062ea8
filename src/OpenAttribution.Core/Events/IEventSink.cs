using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>Receives the rows of an event reader: the valid ones and the rejected ones.</summary>
public interface IEventSink
{
    void Accept(in EventRow row);

    void Reject(InputError error);
}
