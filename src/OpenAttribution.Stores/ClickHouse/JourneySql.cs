using System.Globalization;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;

namespace OpenAttribution.Stores.ClickHouse;

/// <summary>
/// The SQL that one shard runs over its <c>events_local</c> (spec sections 2 and 4), written to the
/// subset of ClickHouse that 18.16 and current versions share: no window functions, CTEs or
/// multiple joins. Each person's touches and counted conversions are gathered with groupArray and
/// sorted by (timestamp, seq); one row per conversion (ARRAY JOIN) finds its window by counting
/// touches (the arrays are sorted, so counts are the binary searches of <c>JourneyBuilder</c>); the
/// path's keys and each model's weights are arrays, ARRAY JOINed and summed per dimension key.
/// The touches' dimension keys come from <c>oa_map</c>, the channel grouping resolved in .NET and
/// sent along with the query (h = hash of the traffic fields, k = dimension key id, c = channel id).
/// </summary>
internal static class JourneySql
{
    /// <summary>
    /// Hash of the traffic fields that decide a touch's channel, source, medium and campaign: the ones
    /// <c>EventTableBuilder</c> resolves once per distinct combination, with the URL reduced to its host
    /// and query as <c>TrafficUrl</c> does. Ad click ids (gclid, msclkid, ...) count only by being
    /// there (no channel rule can test the URL), so their values are replaced by <c>x</c>: otherwise
    /// every auto-tagged click would be a combination of its own. Stored as the column <c>traffic</c>.
    /// </summary>
    public const string TrafficHash = $"cityHash64(channel, source, medium, campaign, content, term, referrer, {ReducedUrl})";

    private const string ReducedUrl =
        @"replaceRegexpAll(replaceRegexpOne(url, '^([^?]*?://[^/?#]*)[^?]*', '\\1'), '(?i)([?&](gclid|gbraid|wbraid|msclkid|dclid|fbclid)=)[^&#]+', '\\1x')";

    public const string MapTable = "oa_map";

    public const string MapStructure = "h UInt64, k UInt32, c Int32";

    private const string MinTicks = "toInt64(-9223372036854775807)";

    /// <summary>Distinct traffic-field combinations of the touches on one shard, with one example each.</summary>
    public static string TrafficSources =>
        $"""
        SELECT traffic AS h, any(channel), any(source), any(medium), any(campaign), any(content), any(term), any(referrer), any(url)
        FROM events_local
        WHERE type = 'touch'
        GROUP BY h
        FORMAT TabSeparated
        """;

    /// <summary>Per dimension key: conversions and value credited by each rule-based model.</summary>
    public static string RuleCredits(JourneyOptions options, IReadOnlyList<ModelSpec> models, int noneKey, int directChannel)
    {
        var weights = string.Join(",\n        ", models.SelectMany((m, i) => Weights(m, i)));
        var joins = string.Join(", ", models.Select((_, i) => $"w{i} AS x{i}"));
        var sums = string.Join(", ", models.Select((_, i) => $"sum(x{i}), sum(x{i} * V)"));
        return $"""
            SELECT key, {sums}
            FROM
            (
                SELECT pk, V, N, ld, tl, idx, pt,
                    {weights}
                FROM ({Paths(options, noneKey, directChannel, withNullPaths: false)})
            )
            ARRAY JOIN pk AS key, {joins}
            -- Always true: it keeps N, ld, tl, idx and pt alive, which 18.16 would otherwise prune from the
            -- subqueries because the weights use them only inside lambdas.
            WHERE N > 0 AND ld >= 0 AND tl > {MinTicks} AND notEmpty(idx) AND notEmpty(pt)
            GROUP BY key
            FORMAT TabSeparated
            """;
    }

    /// <summary>The path table: distinct key paths with conversions, value and null (non-converting) journeys.</summary>
    public static string PathTable(JourneyOptions options, int noneKey) =>
        $"""
        SELECT pk, sum(kind), sum(V), sum(1 - kind)
        FROM ({Paths(options, noneKey, -1, withNullPaths: true)})
        GROUP BY pk
        FORMAT TabSeparated
        """;

    /// <summary>
    /// One row per reported conversion (kind 1) and, when asked, per non-empty null path (kind 0):
    /// pk = the path's dimension keys ([none] for an empty path), pc = their channels, pt = their
    /// timestamps, N = length, V = conversion value, T = conversion time.
    /// </summary>
    private static string Paths(JourneyOptions options, int noneKey, int directChannel, bool withNullPaths)
    {
        var conversion = options.ConversionName is { } name ? $" AND conversion = {Tsv.Quote(name)}" : "";
        var lookback = Ticks(options.Lookback.Ticks);
        var lower = options.ResetOnConversion ? $"greatest(T - {lookback}, P)" : $"T - {lookback}";
        var range = new List<string>();
        if (options.FromTicks is { } from)
        {
            range.Add($"T >= {Ticks(from)}");
        }

        if (options.ToTicks is { } to)
        {
            range.Add($"T < {Ticks(to)}");
        }

        var reported = range.Count == 0 ? "1" : string.Join(" AND ", range);
        // kind 0 marks the null path: touches after the last counted conversion (all without one).
        var last = $"if(length(convs) = 0, {MinTicks}, tupleElement(convs[length(convs)], 1))";
        var arrays = withNullPaths
            ? $"""
                arrayPushBack(arrayMap(x -> tupleElement(x, 1), convs), {last}) AS T,
                arrayPushBack(arrayMap(x -> tupleElement(x, 3), convs), toFloat64(0)) AS V,
                arrayPushFront(arrayMap(x -> tupleElement(x, 1), convs), {MinTicks}) AS P,
                arrayPushBack(arrayMap(x -> toUInt8(1), convs), toUInt8(0)) AS kind
              """
            : $"""
                arrayMap(x -> tupleElement(x, 1), convs) AS T,
                arrayMap(x -> tupleElement(x, 3), convs) AS V,
                arraySlice(arrayPushFront(arrayMap(x -> tupleElement(x, 1), convs), {MinTicks}), 1, length(convs)) AS P,
                arrayMap(x -> toUInt8(1), convs) AS kind
              """;
        var direct = directChannel.ToString(CultureInfo.InvariantCulture);
        return $"""
            SELECT kind, T, V, N, pk, pc, pt, arrayEnumerate(pk) AS idx, toInt64(pt[N]) AS tl,
                arrayReduce('max', arrayMap((c, i) -> if(c != {direct}, i, 0), pc, idx)) AS ld
            FROM
            (
                SELECT kind, T, V, hi - lo AS n,
                    if(n = 0, [toUInt32({noneKey.ToString(CultureInfo.InvariantCulture)})], arraySlice(tk, lo + 1, n)) AS pk,
                    if(n = 0, [toInt32(-2)], arraySlice(tc, lo + 1, n)) AS pc,
                    if(n = 0, [T], arraySlice(tt, lo + 1, n)) AS pt,
                    length(pk) AS N
                FROM
                (
                    SELECT kind, T, V, P, tt, tk, tc,
                        if(kind = 1, arrayCount(t -> t <= T, tt), length(tt)) AS hi,
                        arrayCount(t -> t <= if(kind = 1, {lower}, T), tt) AS lo
                    FROM
                    (
                        SELECT person, convs,
                            arrayMap(x -> tupleElement(x, 1), touches) AS tt,
                            arrayMap(x -> tupleElement(x, 3), touches) AS tk,
                            arrayMap(x -> tupleElement(x, 4), touches) AS tc
                        FROM
                        (
                            SELECT person,
                                arraySort(groupArrayIf((ts, seq, k, c), type = 'touch')) AS touches,
                                arraySort(groupArrayIf((ts, seq, value), type = 'conversion')) AS convs
                            FROM
                            (
                                SELECT person, ts, seq, type, value, if(type = 'touch', traffic, toUInt64(0)) AS h
                                FROM events_local
                                WHERE type = 'touch' OR (type = 'conversion'{conversion})
                            )
                            ANY LEFT JOIN {MapTable} USING h
                            GROUP BY person
                        )
                    )
                    ARRAY JOIN
                        {arrays}
                    WHERE (kind = 1 AND {reported}) OR kind = 0
                )
                WHERE kind = 1 OR hi > lo
            )
            """;
    }

    /// <summary>The columns that give model <paramref name="i"/>'s weights over a path as the array <c>w{i}</c>.</summary>
    private static IEnumerable<string> Weights(ModelSpec model, int i)
    {
        var w = $"w{i.ToString(CultureInfo.InvariantCulture)}";
        switch (model.Kind)
        {
            case ModelKind.FirstTouch:
                yield return $"arrayMap(i -> toFloat64(i = 1), idx) AS {w}";
                break;
            case ModelKind.LastTouch:
                yield return $"arrayMap(i -> toFloat64(i = N), idx) AS {w}";
                break;
            case ModelKind.LastNonDirect:
                yield return $"arrayMap(i -> toFloat64(i = if(ld = 0, N, ld)), idx) AS {w}";
                break;
            case ModelKind.Linear:
                yield return $"arrayMap(i -> 1 / N, idx) AS {w}";
                break;
            case ModelKind.PositionBased:
                yield return $"{PositionBased(model.FirstShare, model.LastShare)} AS {w}";
                break;
            case ModelKind.TimeDecay:
                // 2^(-d/h) relative to the latest touch (the largest factor is 1), normalised over the path.
                var scale = Real(-0.6931471805599453 / model.HalfLife.Ticks);
                yield return $"arrayMap(t -> exp(toFloat64(tl - t) * {scale}), pt) AS e{w}";
                yield return $"arraySum(e{w}) AS s{w}";
                yield return $"arrayMap(x -> x / s{w}, e{w}) AS {w}";
                break;
            default:
                throw new ArgumentException($"'{model.Name}' does not run in ClickHouse.", nameof(model));
        }
    }

    private static string PositionBased(double first, double last)
    {
        var sum = first + last;
        var two = sum > 0 ? first / sum : 0.5;
        var twoLast = sum > 0 ? last / sum : 0.5;
        return $"arrayMap(i -> if(N = 1, toFloat64(1), if(N = 2, if(i = 1, {Real(two)}, {Real(twoLast)}), " +
               $"if(i = 1, {Real(first)}, if(i = N, {Real(last)}, {Real(1 - first - last)} / (N - 2))))), idx)";
    }

    private static string Ticks(long ticks) => $"toInt64({ticks.ToString(CultureInfo.InvariantCulture)})";

    private static string Real(double value) => $"toFloat64({value.ToString("R", CultureInfo.InvariantCulture)})";
}
