namespace OpenAttribution.Core.Events;

public enum EventType : byte
{
    Touch = 0,
    Conversion = 1,
    Identify = 2,
}
