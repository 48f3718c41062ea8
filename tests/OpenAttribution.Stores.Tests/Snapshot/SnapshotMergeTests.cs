using OpenAttribution.Stores.Snapshot;

namespace OpenAttribution.Stores.Tests.Snapshot;

public sealed class SnapshotMergeTests
{
    // Base people 0..5 (4 has no rows), 2 is dead; delta people: 90 goes before base 0, 91 takes
    // dead 2's place (before 3), 92 and 93 go at the end.
    private static readonly int[] BasePersons = [0, 0, 1, 2, 2, 3, 5, 5];
    private static readonly SnapshotDelta Delta = new(
        dead: [false, false, true, false, false, false],
        ins: [0, 2, 2, 6, 6],
        persons: [90, 91, 91, 92, 93],
        times: [1000, 1001, 1002, 1003, 1004],
        kinds: [0, 0, 1, 0, 1],
        sources: [7, 7, 7, 7, 7],
        conversions: [-1, -1, 0, -1, 0],
        values: [0, 0, 5, 0, 6]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void RowsComeInAFullBuildsOrderWhereverTheChunksEnd(int chunk)
    {
        var times = new List<long>();
        var persons = new List<int>();
        var merge = new SnapshotMerge(Delta, (p, t, _, _, _, _) =>
        {
            persons.AddRange(p.ToArray());
            times.AddRange(t.ToArray());
        });
        var baseTimes = BasePersons.Select((_, i) => (long)i).ToArray();
        for (var at = 0; at < BasePersons.Length; at += chunk)
        {
            var n = Math.Min(chunk, BasePersons.Length - at);
            var zeros = new byte[n];
            var ids = new int[n];
            merge.Add(BasePersons.AsSpan(at, n), baseTimes.AsSpan(at, n), zeros, ids, ids, new double[n]);
        }

        merge.Complete();

        // Base rows are times 0..7 (rows 3 and 4 are dead person 2's); delta rows 1000+.
        Assert.Equal([1000, 0, 1, 2, 1001, 1002, 5, 6, 7, 1003, 1004], times);
        Assert.Equal(persons.Order(), persons);
        Assert.Equal(8, persons.Distinct().Count()); // 90, 0, 1, 91, 3, 5, 92, 93
        Assert.True(merge.PersonBound > persons[^1]);
    }
}
