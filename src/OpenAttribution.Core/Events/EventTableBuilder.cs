using OpenAttribution.Core.Channels;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Events;

/// <summary>
/// The sink that turns validated rows into an <see cref="EventTable"/>: drops duplicate
/// <c>event_id</c>s, resolves each touch's channel (its <c>channel</c> field, else the channel
/// grouping over its UTM fields, URL and referrer) and interns every string.
/// </summary>
public sealed class EventTableBuilder : IEventSink
{
    public const string NotSet = "(not set)";

    private readonly TrafficSourceCache _traffic;
    private readonly Action<InputError>? _onReject;
    private readonly Dimensions _names = new();
    private readonly HashedIds _eventIds = new(1 << 16, keepIds: false);
    private readonly bool _deduplicate;

    private readonly Column<long> _timestamps = new();
    private readonly Column<EventType> _types = new();
    private readonly Column<int> _users = new();
    private readonly Column<int> _anonymous = new();
    private readonly Column<int> _channels = new();
    private readonly Column<int> _sources = new();
    private readonly Column<int> _mediums = new();
    private readonly Column<int> _campaigns = new();
    private readonly Column<int> _conversions = new();
    private readonly Column<double> _values = new();

    /// <param name="grouping">Channel grouping for touches without a channel; GA4's default when null.</param>
    /// <param name="onReject">Called for every rejected row, besides <see cref="Errors"/>.</param>
    /// <param name="deduplicate">
    /// Drop repeated <c>event_id</c>s. A store already guarantees unique ids, so reading from one
    /// turns this off and saves hashing every id.
    /// </param>
    public EventTableBuilder(ChannelGrouping? grouping = null, Action<InputError>? onReject = null, bool deduplicate = true)
    {
        _deduplicate = deduplicate;
        _traffic = new TrafficSourceCache(grouping ?? ChannelGrouping.Default, _names);
        _onReject = onReject;
    }

    public long Accepted => _timestamps.Count;

    public long Duplicates { get; private set; }

    public List<InputError> Errors { get; } = [];

    public void Reject(InputError error)
    {
        Errors.Add(error);
        _onReject?.Invoke(error);
    }

    public void Accept(in EventRow row)
    {
        if (_deduplicate && !row.EventId.IsEmpty && !_eventIds.Add(row.EventId))
        {
            Duplicates++;
            return;
        }

        _timestamps.Add(row.TimestampTicks);
        _types.Add(row.Type);
        _users.Add(row.UserId.IsEmpty ? -1 : _names.Users.Intern(row.UserId));
        _anonymous.Add(row.AnonymousId.IsEmpty ? -1 : _names.AnonymousIds.Intern(row.AnonymousId));
        _values.Add(row.Type == EventType.Conversion ? row.Value : 0);
        _conversions.Add(row.Type == EventType.Conversion ? _names.ConversionNames.Intern(row.Conversion) : -1);
        if (row.Type == EventType.Touch)
        {
            var (channel, source, medium, campaign) = _traffic.Resolve(row);
            _channels.Add(channel);
            _sources.Add(source);
            _mediums.Add(medium);
            _campaigns.Add(campaign);
        }
        else
        {
            _channels.Add(-1);
            _sources.Add(-1);
            _mediums.Add(-1);
            _campaigns.Add(-1);
        }
    }

    public EventTable Build() => new(
        _timestamps.Count,
        _timestamps.ToArray(),
        _types.ToArray(),
        _users.ToArray(),
        _anonymous.ToArray(),
        _channels.ToArray(),
        _sources.ToArray(),
        _mediums.ToArray(),
        _campaigns.ToArray(),
        _conversions.ToArray(),
        _values.ToArray(),
        _names);
}
