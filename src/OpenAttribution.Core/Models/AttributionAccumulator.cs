using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Text;

namespace OpenAttribution.Core.Models;

/// <summary>
/// Many models' credit over journeys handed over in batches (<see cref="JourneyStream"/>), or over one
/// journey set (<see cref="AttributionEngine.Run(JourneySet, IReadOnlyList{ModelSpec}, Dimension)"/>).
/// Rule-based credit is added path by path as batches arrive; data-driven models keep the path table
/// (<see cref="PathTableAccumulator"/>), which grows with the distinct paths, not the journeys. Batches
/// added in order give the same bits as all the journeys at once.
/// </summary>
public sealed class AttributionAccumulator : IJourneyFold<AttributionAccumulator>
{
    private readonly IReadOnlyList<ModelSpec> _models;
    private readonly Dimension _dimension;
    private readonly int[] _ruleBased;
    private readonly ModelSpec[] _ruleSpecs;
    private readonly bool _needsTimestamps;
    private Interner? _names;
    private string[] _keyNames = [];
    private int _nameCount;
    private int _none;
    private double[][] _acc = [];
    private CustomMatcher?[] _matchers = [];
    private PathTableAccumulator? _paths;
    private CompensatedSum _inputConversions;
    private CompensatedSum _inputValue;

    public AttributionAccumulator(IReadOnlyList<ModelSpec> models, Dimension dimension = Dimension.Channel)
    {
        ArgumentNullException.ThrowIfNull(models);
        var problems = models.SelectMany(m => m.Validate().Select(p => $"{m.Name}: {p}")).ToList();
        if (problems.Count > 0)
        {
            throw new ModelInputException(string.Join(Environment.NewLine, problems));
        }

        _models = models;
        _dimension = dimension;
        _ruleBased = Enumerable.Range(0, models.Count).Where(m => !models[m].Kind.IsDataDriven()).ToArray();
        _ruleSpecs = _ruleBased.Select(m => models[m]).ToArray();
        _needsTimestamps = models.Any(NeedsTimestamps);
    }

    /// <summary>The next batch; every batch shares the first one's <see cref="JourneySet.Names"/>.</summary>
    public void Add(JourneySet batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_needsTimestamps && !batch.HasTimestamps)
        {
            throw new ModelInputException(
                string.Join(Environment.NewLine, _models
                    .Where(NeedsTimestamps)
                    .Select(m => $"{m.Name}: time decay needs touch timestamps, which a path table does not have")));
        }

        var (keys, names) = batch.Dimension(_dimension);
        if (_names is null)
        {
            Start(batch, names);
        }
        else
        {
            JourneySet.CheckSameNames(_names, _nameCount, names, nameof(batch));
        }

        if (_ruleSpecs.Length > 0)
        {
            AttributionEngine.AddRuleBased(batch, _ruleSpecs, _matchers, keys, _none, _acc);
        }

        _paths?.Add(batch);
        foreach (var count in batch.Counts)
        {
            _inputConversions.Add(count);
        }

        foreach (var value in batch.Values)
        {
            _inputValue.Add(value);
        }
    }

    /// <summary>
    /// A copy that further batches are added to separately: a report kept over a snapshot's base is
    /// copied, and the copy takes the delta (<see cref="JourneyPart"/>), so the base is folded once.
    /// </summary>
    public AttributionAccumulator Clone()
    {
        var copy = (AttributionAccumulator)MemberwiseClone();
        copy._acc = _acc.Select(a => (double[])a.Clone()).ToArray();
        copy._paths = _paths?.Clone();
        return copy;
    }

    /// <summary>
    /// Goes on with batches of a later read of the same store, whose dictionary of the report's
    /// dimension begins with every name of the batches so far, in the same order (a snapshot only
    /// appends names), and may hold more: the credit kept so far moves to the same names, and
    /// <c>(none)</c> to its place after the new ones. Called before adding the later read's batches.
    /// </summary>
    public void Rebase(JourneySet batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (_, names) = batch.Dimension(_dimension);
        if (_names is null || (ReferenceEquals(names, _names) && names.Count == _nameCount))
        {
            return;
        }

        var (keyNames, none, map) = JourneySet.RebaseKeys(_names, _nameCount, _keyNames.Length, _none, names, nameof(batch));
        for (var i = 0; i < _acc.Length; i++)
        {
            var grown = new double[2 * keyNames.Length];
            for (var k = 0; k < map.Length; k++)
            {
                grown[2 * map[k]] += _acc[i][2 * k];
                grown[(2 * map[k]) + 1] += _acc[i][(2 * k) + 1];
            }

            _acc[i] = grown;
        }

        _paths?.Rebase(names);
        _matchers = _ruleSpecs.Select(x => x.Custom is null ? null : new CustomMatcher(x.Custom, batch.Names)).ToArray();
        _names = names;
        _nameCount = names.Count;
        _keyNames = keyNames;
        _none = none;
    }

    /// <summary>One result per model, in the order given, over every batch added.</summary>
    public IReadOnlyList<AttributionResult> Results(CancellationToken cancellationToken = default)
    {
        if (_names is null)
        {
            throw new InvalidOperationException("Attribution needs at least one batch of journeys.");
        }

        var results = new AttributionResult[_models.Count];
        var keyCount = _keyNames.Length;
        for (var i = 0; i < _ruleBased.Length; i++)
        {
            var conv = new double[keyCount];
            var val = new double[keyCount];
            for (var k = 0; k < keyCount; k++)
            {
                conv[k] = _acc[i][2 * k];
                val[k] = _acc[i][(2 * k) + 1];
            }

            results[_ruleBased[i]] = new AttributionResult(_ruleSpecs[i], _dimension, _keyNames, conv, val) { InputTotals = Totals() };
        }

        Paths.PathTable? table = null;
        for (var m = 0; m < _models.Count; m++)
        {
            if (_models[m].Kind.IsDataDriven())
            {
                table ??= _paths!.Build();
                cancellationToken.ThrowIfCancellationRequested();
                var result = AttributionEngine.RunDataDriven(_models[m], table, _dimension, _keyNames, cancellationToken);
                results[m] = CreditsAll(result) ? new AttributionResult(result.Model, result.Dimension, result.Keys, result.Conversions, result.Values)
                {
                    RemovalEffects = result.RemovalEffects,
                    InputTotals = Totals(),
                } : result;
            }
        }

        return results;
    }

    private (double Conversions, double Value) Totals() => (_inputConversions.Value, _inputValue.Value);

    /// <summary>
    /// Whether a data-driven result credits all the input (it does unless no path with a touch can
    /// convert, when Markov's removal effects are all 0): only then are the input's totals its totals.
    /// </summary>
    private bool CreditsAll(AttributionResult result)
    {
        var (conversions, _) = Totals();
        var credited = CompensatedSum.Of(result.Conversions);
        return Math.Abs(credited - conversions) <= 1e-9 * Math.Max(1, Math.Abs(conversions));
    }

    /// <summary>Time decay, or a custom model built on it: weights from touch times.</summary>
    private static bool NeedsTimestamps(ModelSpec m) =>
        m.Kind == ModelKind.TimeDecay || (m.Kind == ModelKind.Custom && m.Custom?.Base.Kind == ModelKind.TimeDecay);

    private void Start(JourneySet batch, Interner names)
    {
        _names = names;
        _nameCount = names.Count;
        _keyNames = JourneySet.KeyNamesWithNone(names, out _none);
        _acc = _ruleSpecs.Select(_ => new double[2 * _keyNames.Length]).ToArray();
        _matchers = _ruleSpecs.Select(x => x.Custom is null ? null : new CustomMatcher(x.Custom, batch.Names)).ToArray();
        if (_models.Any(m => m.Kind.IsDataDriven()))
        {
            _paths = new PathTableAccumulator(_dimension);
        }
    }
}
