using OpenAttribution.Core.Events;
using OpenAttribution.Core.Paths;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Journeys;

/// <summary>Converts between journeys and path tables (spec section 6).</summary>
public static class PathTableJourneys
{
    /// <summary>
    /// Journeys from a path table: one per row with conversions (standing for all of them), one
    /// null path per row with non-converting journeys. Channels only; no timestamps.
    /// </summary>
    public static JourneySet ToJourneys(PathTable table)
    {
        var names = new Dimensions();
        foreach (var channel in table.Channels)
        {
            names.Channels.Intern(channel);
        }

        var touches = table.ChannelIds;
        var start = new Column<int>();
        var length = new Column<int>();
        var counts = new Column<double>();
        var values = new Column<double>();
        var nullStart = new Column<int>();
        var nullLength = new Column<int>();
        var nullCounts = new Column<double>();
        for (var p = 0; p < table.Count; p++)
        {
            var s = table.Offsets[p];
            var n = table.Offsets[p + 1] - s;
            if (table.Conversions[p] > 0 || table.Values[p] != 0)
            {
                start.Add(s);
                length.Add(n);
                counts.Add(table.Conversions[p]);
                values.Add(table.Values[p]);
            }

            if (table.Nulls[p] > 0)
            {
                nullStart.Add(s);
                nullLength.Add(n);
                nullCounts.Add(table.Nulls[p]);
            }
        }

        return new JourneySet(
            names,
            hasTimestamps: false,
            new long[touches.Length],
            touches,
            [],
            [],
            [],
            start.ToArray(),
            length.ToArray(),
            new long[start.Count],
            counts.ToArray(),
            values.ToArray(),
            nullStart.ToArray(),
            nullLength.ToArray(),
            nullCounts.ToArray());
    }

    /// <summary>
    /// The path table of a journey set over one dimension: converting paths with their counts and
    /// values, null paths as non-converting journeys. A conversion with no touch is the path
    /// <c>(none)</c>, so totals add up.
    /// </summary>
    public static PathTable ToPathTable(JourneySet journeys, Dimension dimension = Dimension.Channel)
    {
        var table = new PathTableAccumulator(dimension);
        table.Add(journeys);
        return table.Build();
    }
}

/// <summary>
/// The path table (<see cref="PathTableJourneys.ToPathTable"/>) of journeys handed over in batches
/// (<see cref="JourneyStream"/>): the same table, row for row and bit for bit, as from all the
/// journeys at once. Memory grows with the distinct paths, not with the journeys.
/// </summary>
public sealed class PathTableAccumulator(Dimension dimension = Dimension.Channel)
{
    private Interner? _dictionary;
    private Interner? _names;
    private int _nameCount;

    // Converting paths and null paths apart: the table lists converting paths first (in order of
    // first appearance), then paths that only ever had null journeys, as one pass over all the
    // conversions and then all the null paths would.
    private PathTableBuilder? _converting;
    private PathTableBuilder? _nulls;
    private int _none = -1;

    public void Add(JourneySet journeys)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        var (keys, names) = journeys.Dimension(dimension);
        if (_names is null)
        {
            _names = names;
            _nameCount = names.Count;
            _dictionary = new Interner();
            foreach (var name in names.Names)
            {
                _dictionary.Intern(name);
            }

            _converting = new PathTableBuilder(_dictionary);
            _nulls = new PathTableBuilder(_dictionary);
        }
        else
        {
            JourneySet.CheckSameNames(_names, _nameCount, names, nameof(journeys));
        }

        for (var j = 0; j < journeys.Conversions; j++)
        {
            if (journeys.Length[j] == 0)
            {
                if (_none < 0)
                {
                    _none = _dictionary!.Intern(JourneySet.NoneChannel);
                }

                _converting!.Add([_none], journeys.Counts[j], journeys.Values[j], 0);
            }
            else
            {
                _converting!.Add(keys.AsSpan(journeys.Start[j], journeys.Length[j]), journeys.Counts[j], journeys.Values[j], 0);
            }
        }

        for (var n = 0; n < journeys.NullStart.Length; n++)
        {
            _nulls!.Add(keys.AsSpan(journeys.NullStart[n], journeys.NullLength[n]), 0, 0, journeys.NullCounts[n]);
        }
    }

    /// <summary>
    /// The path table. A path whose conversions (or null journeys) came to exactly 0, because removed
    /// journeys (<see cref="JourneySet.Negated"/>) took back what was added, is left out as if it had
    /// never been added.
    /// </summary>
    public PathTable Build()
    {
        if (_dictionary is null)
        {
            throw new InvalidOperationException("A path table needs at least one batch of journeys.");
        }

        var all = new PathTableBuilder(_dictionary);
        var converting = _converting!.Build();
        for (var p = 0; p < converting.Count; p++)
        {
            if (converting.Conversions[p] != 0)
            {
                all.Add(converting.Path(p), converting.Conversions[p], converting.Values[p], 0);
            }
        }

        var nulls = _nulls!.Build();
        for (var p = 0; p < nulls.Count; p++)
        {
            if (nulls.Nulls[p] != 0)
            {
                all.Add(nulls.Path(p), 0, 0, nulls.Nulls[p]);
            }
        }

        return all.Build();
    }

    /// <summary>A copy that further batches are added to separately.</summary>
    public PathTableAccumulator Clone()
    {
        var copy = new PathTableAccumulator(dimension) { _names = _names, _nameCount = _nameCount, _none = _none };
        if (_dictionary is not null)
        {
            copy._dictionary = _dictionary.Clone();
            copy._converting = _converting!.Clone(copy._dictionary);
            copy._nulls = _nulls!.Clone(copy._dictionary);
        }

        return copy;
    }

    /// <summary>
    /// Goes on over <paramref name="names"/>, a later read's dictionary that begins with every name of
    /// the batches so far, in the same order (a snapshot only appends names); <c>(none)</c>, which this
    /// accumulator may have added after them, moves to its place among the new names.
    /// </summary>
    public void Rebase(Interner names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (_names is null || (ReferenceEquals(names, _names) && names.Count == _nameCount))
        {
            return;
        }

        if (!names.StartsWith(_names, _nameCount))
        {
            throw new ArgumentException("The new names must begin with the names of the batches so far.", nameof(names));
        }

        var dictionary = new Interner();
        foreach (var name in names.Names)
        {
            dictionary.Intern(name);
        }

        var map = new int[_dictionary!.Count];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = i < _nameCount ? i : dictionary.Intern(_dictionary[i]);
        }

        _converting = _converting!.Remap(dictionary, map);
        _nulls = _nulls!.Remap(dictionary, map);
        _none = _none < 0 ? -1 : map[_none];
        _dictionary = dictionary;
        _names = names;
        _nameCount = names.Count;
    }
}
