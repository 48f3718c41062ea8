namespace OpenAttribution.Core.Text;

/// <summary>
/// The slot array of an open-addressing table with linear probing, as <c>StateIndex</c>,
/// <c>PathTableBuilder</c> and <c>Interner</c> keep it: entry ids + 1 (0 = empty), at the stored
/// hash masked by the size (a power of two).
/// </summary>
internal static class OpenSlots
{
    /// <summary>A slot array of <paramref name="size"/> holding entries 0..hashes.Length-1 by their hashes.</summary>
    public static int[] Build(ReadOnlySpan<int> hashes, int size)
    {
        var slots = new int[size];
        var mask = size - 1;
        for (var entry = 0; entry < hashes.Length; entry++)
        {
            var i = hashes[entry] & mask;
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = entry + 1;
        }

        return slots;
    }
}
