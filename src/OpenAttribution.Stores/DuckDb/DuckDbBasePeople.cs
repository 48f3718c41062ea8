using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>
/// The base people of one full build (<c>snapshot_people</c>: the 128-bit hash of each person key and
/// its person), in memory as two arrays sorted by hash, for a store that updates its snapshot again and
/// again (the server). An update then finds its batch's known people with a few hundred binary
/// searches instead of scanning the hash column of every base person, so its cost does not grow with
/// the store. The base people change only at a full build, which writes a new build id.
/// </summary>
internal sealed class DuckDbBasePeople
{
    private readonly UInt128[] _hashes;
    private readonly int[] _persons;

    private DuckDbBasePeople(string build, UInt128[] hashes, int[] persons)
    {
        Build = build;
        _hashes = hashes;
        _persons = persons;
    }

    /// <summary>The full build these people are of (<c>snapshot_meta.build</c>).</summary>
    public string Build { get; }

    /// <summary>Reads the base people of the build the connection sees.</summary>
    public static DuckDbBasePeople Load(DuckDBConnection connection, string build, CancellationToken cancellationToken = default)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM snapshot_people";
        var count = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        var hashes = new UInt128[count];
        var persons = new int[count];
        var at = 0;
        var buffer = new byte[DuckDbNative.VectorSize * 16];
        DuckDbChunks.Stream(connection, "SELECT h, person FROM snapshot_people", [DuckDBType.UnsignedHugeInt, DuckDBType.Integer], (chunk, rows) =>
        {
            if (at + rows > count)
            {
                throw new InvalidDataException("DuckDB store: the base people grew while they were read.");
            }

            // A UHUGEINT is its lower 64 bits, then its upper 64 bits: UInt128's own layout.
            System.Runtime.InteropServices.Marshal.Copy(DuckDbChunks.Data(chunk, 0), buffer, 0, rows * 16);
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, UInt128>(buffer.AsSpan(0, rows * 16)).CopyTo(hashes.AsSpan(at, rows));
            System.Runtime.InteropServices.Marshal.Copy(DuckDbChunks.Data(chunk, 1), persons, at, rows);
            at += rows;
        }, cancellationToken);
        if (at != count)
        {
            throw new InvalidDataException("DuckDB store: the base people changed while they were read.");
        }

        Array.Sort(hashes, persons);
        return new DuckDbBasePeople(build, hashes, persons);
    }

    /// <summary>The person of a key's hash, when it is a base person.</summary>
    public bool TryGet(UInt128 hash, out int person)
    {
        var i = Array.BinarySearch(_hashes, hash);
        person = i >= 0 ? _persons[i] : -1;
        return i >= 0;
    }
}
