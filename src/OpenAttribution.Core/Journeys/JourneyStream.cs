using System.Runtime.InteropServices;
using OpenAttribution.Core.Events;

namespace OpenAttribution.Core.Journeys;

/// <summary>
/// Builds journeys from events that arrive ordered by person, then time (a store's resolved snapshot,
/// <see cref="EventTable.FromPeople"/>'s order), and hands them over in batches of whole people as
/// they complete. Memory holds one batch, not every event: a report that folds the batches
/// (<see cref="Models.AttributionAccumulator"/>) needs memory that does not grow with the events.
/// The batches, in order, hold exactly the conversions and null paths that
/// <see cref="JourneyBuilder.Build(EventTable, JourneyOptions?)"/> gives for the same events, in the
/// same order, and carry the whole stream's time-decay reference, so folded credits are the same bits.
/// The batches share the constructor's <see cref="Dimensions"/>; after
/// construction the stream never reads them, so a consumer on another thread may intern into them
/// (<see cref="Models.AttributionAccumulator"/> adds <c>(none)</c>).
/// </summary>
public sealed class JourneyStream
{
    /// <summary>Touches per batch before it is handed over (at the next person).</summary>
    public const int DefaultBatchTouches = 1 << 13;

    private readonly Dimensions _names;
    private readonly (int Channel, int Source, int Medium, int Campaign)[] _sources;
    private readonly int[] _conversionNames;
    private readonly int _conversionFilter;
    private readonly JourneyBuilder.Window _window;
    private readonly long _timeReference;
    private readonly int _directId;
    private readonly Action<JourneySet> _onBatch;
    private readonly int _batchTouches;
    private readonly JourneyBuilder.Part _part = new();
    private readonly List<(long Time, double Value)> _personConversions = [];

    private long[] _times;
    private int[] _channels;
    private int[] _sourceIds;
    private int[] _mediums;
    private int[] _campaigns;
    private int _touches;
    private int _person = -1;
    private int _personFirst;
    private long _lastTime = long.MinValue;
    private bool _handedOver;
    private bool _completed;

    /// <param name="names">The dictionaries; every name the events use is interned already.</param>
    /// <param name="sources">Each source id's interned channel, source, medium and campaign (-1 when absent).</param>
    /// <param name="conversionNames">Each conversion id's interned id in <see cref="Dimensions.ConversionNames"/>.</param>
    /// <param name="timeReference">The middle of the first and last touch time of the whole stream (0 when it has no touch).</param>
    /// <param name="onBatch">Called with each batch, in person order; at least once, when the stream completes.</param>
    public JourneyStream(
        Dimensions names,
        (int Channel, int Source, int Medium, int Campaign)[] sources,
        int[] conversionNames,
        JourneyOptions? options,
        long timeReference,
        Action<JourneySet> onBatch,
        int batchTouches = DefaultBatchTouches)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(conversionNames);
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchTouches, 1);
        options ??= new JourneyOptions();
        _names = names;
        _sources = sources;
        _conversionNames = conversionNames;
        _conversionFilter = options.ConversionName is null ? -2 : names.ConversionNames.Find(options.ConversionName);
        _window = new JourneyBuilder.Window(options);
        _timeReference = timeReference;

        // Looked up once, here: a consumer folding batches on another thread interns "(none)" into
        // these names, so the producer must not read them after this point.
        _directId = names.Channels.Find(JourneySet.DirectChannel);
        _onBatch = onBatch;
        _batchTouches = batchTouches;
        var capacity = Math.Min(batchTouches, 1 << 16) + 1024;
        _times = new long[capacity];
        _channels = new int[capacity];
        _sourceIds = new int[capacity];
        _mediums = new int[capacity];
        _campaigns = new int[capacity];
    }

    /// <summary>
    /// The next events: people ascending (each person's events together), each person's events by
    /// time; <paramref name="sources"/> and <paramref name="conversions"/> are the ids given to the
    /// constructor (anything for events that are not touches, respectively conversions).
    /// </summary>
    public void Add(
        ReadOnlySpan<int> persons,
        ReadOnlySpan<long> times,
        ReadOnlySpan<EventType> types,
        ReadOnlySpan<int> sources,
        ReadOnlySpan<int> conversions,
        ReadOnlySpan<double> values)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var count = persons.Length;
        if (times.Length != count || types.Length != count || sources.Length != count || conversions.Length != count || values.Length != count)
        {
            throw new ArgumentException("every column must have one entry per event", nameof(persons));
        }

        // Fields in locals: the loop is the hot path of a report from a store.
        var touches = _touches;
        var person = _person;
        var lastTime = _lastTime;
        var table = _sources;
        var touchTimes = _times;
        var touchChannels = _channels;
        var touchSources = _sourceIds;
        var touchMediums = _mediums;
        var touchCampaigns = _campaigns;
        for (var i = 0; i < count; i++)
        {
            var p = persons[i];
            var t = times[i];
            if (p != person)
            {
                if (p < person || p < 0)
                {
                    throw new InvalidDataException(p < 0 ? $"person {p} is not a person id" : $"events are not ordered by person: person {p} after person {person}");
                }

                _touches = touches;
                FinishPerson();
                touches = _touches;
                person = _person = p;
                _personFirst = touches;
            }
            else if (t < lastTime)
            {
                throw new InvalidDataException($"the events of person {p} are not ordered by time");
            }

            lastTime = t;
            var type = types[i];
            if (type == EventType.Touch)
            {
                if ((uint)touches >= (uint)touchTimes.Length)
                {
                    Grow();
                    touchTimes = _times;
                    touchChannels = _channels;
                    touchSources = _sourceIds;
                    touchMediums = _mediums;
                    touchCampaigns = _campaigns;
                }

                var sourceId = sources[i];
                if ((uint)sourceId >= (uint)table.Length)
                {
                    throw new InvalidDataException($"a touch of person {p} names source {sourceId}, outside the {table.Length} sources");
                }

                ref readonly var source = ref table[sourceId];
                touchTimes[touches] = t;
                touchChannels[touches] = source.Channel;
                touchSources[touches] = source.Source;
                touchMediums[touches] = source.Medium;
                touchCampaigns[touches] = source.Campaign;
                touches++;
            }
            else if (type == EventType.Conversion)
            {
                var conversionId = conversions[i];
                if ((uint)conversionId >= (uint)_conversionNames.Length)
                {
                    throw new InvalidDataException($"a conversion of person {p} names conversion {conversionId}, outside the {_conversionNames.Length} names");
                }

                var name = _conversionNames[conversionId];
                if (_conversionFilter == -2 || name == _conversionFilter)
                {
                    _personConversions.Add((t, values[i]));
                }
            }
        }

        _touches = touches;
        _lastTime = lastTime;
    }

    /// <summary>Ends the stream: the last person's journeys go out with the last batch.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        FinishPerson();
        if (_touches > 0 || _part.Start.Count > 0 || !_handedOver)
        {
            HandOver();
        }

        _completed = true;
    }

    private void FinishPerson()
    {
        if (_person < 0)
        {
            return;
        }

        var length = _touches - _personFirst;
        if (_personConversions.Count == 0)
        {
            // Most people: no conversion, so all their touches are one null path.
            if (length > 0)
            {
                _part.NullStart.Add(_personFirst);
                _part.NullLength.Add(length);
            }
        }
        else
        {
            JourneyBuilder.AddPerson(_part, _personFirst, _times.AsSpan(_personFirst, length), CollectionsMarshal.AsSpan(_personConversions), _window);
            _personConversions.Clear();
        }

        if (_touches >= _batchTouches || _part.Start.Count >= _batchTouches)
        {
            HandOver();
        }
    }

    private void HandOver()
    {
        var batch = new JourneySet(
            _names,
            hasTimestamps: true,
            _times.AsSpan(0, _touches).ToArray(),
            _channels.AsSpan(0, _touches).ToArray(),
            _sourceIds.AsSpan(0, _touches).ToArray(),
            _mediums.AsSpan(0, _touches).ToArray(),
            _campaigns.AsSpan(0, _touches).ToArray(),
            _part.Start.ToArray(),
            _part.Length.ToArray(),
            _part.ConversionTimes.ToArray(),
            JourneyBuilder.Ones(_part.Start.Count),
            _part.Values.ToArray(),
            _part.NullStart.ToArray(),
            _part.NullLength.ToArray(),
            JourneyBuilder.Ones(_part.NullStart.Count),
            _timeReference,
            _directId);
        _touches = 0;
        _personFirst = 0;
        _part.Clear();
        _handedOver = true;
        _onBatch(batch);
    }

    private void Grow()
    {
        var size = _times.Length * 2;
        Array.Resize(ref _times, size);
        Array.Resize(ref _channels, size);
        Array.Resize(ref _sourceIds, size);
        Array.Resize(ref _mediums, size);
        Array.Resize(ref _campaigns, size);
    }
}
