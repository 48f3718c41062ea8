using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>Runs a query through the DuckDB C API as a stream and hands over its data chunks.</summary>
internal static class DuckDbChunks
{
    /// <summary>
    /// Calls <paramref name="onChunk"/> with every non-empty chunk of <paramref name="sql"/> and its row
    /// count, once the result's columns are known to have the types in <paramref name="columns"/>: the
    /// caller copies vectors at those types' widths, so a store whose layout differs (a column widened
    /// by a later version, an expression typed otherwise) is an error naming the column, never a copy of
    /// the wrong bytes.
    /// </summary>
    public static void Stream(DuckDBConnection connection, string sql, DuckDBType[] columns, Action<DuckDBDataChunk, int> onChunk, CancellationToken cancellationToken)
    {
        var state = NativeMethods.PreparedStatements.DuckDBPrepare(connection.NativeConnection, sql, out var prepared);
        using (prepared)
        {
            if (state != DuckDBState.Success)
            {
                throw new InvalidOperationException("DuckDB: " + NativeMethods.PreparedStatements.DuckDBPrepareError(prepared));
            }

            var result = default(DuckDBResult);
            try
            {
                if (NativeMethods.PreparedStatements.DuckDBExecutePreparedStreaming(prepared, out result) != DuckDBState.Success)
                {
                    throw new InvalidOperationException("DuckDB: " + NativeMethods.Query.DuckDBResultError(ref result));
                }

                CheckColumns(ref result, columns);

                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var chunk = NativeMethods.Query.DuckDBFetchChunk(result);
                    if (chunk.IsInvalid)
                    {
                        break;
                    }

                    var size = (int)NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);
                    if (size == 0)
                    {
                        break;
                    }

                    onChunk(chunk, size);
                }

                var error = NativeMethods.Query.DuckDBResultError(ref result);
                if (!string.IsNullOrEmpty(error))
                {
                    throw new InvalidOperationException("DuckDB: " + error);
                }
            }
            finally
            {
                NativeMethods.Query.DuckDBDestroyResult(ref result);
            }
        }
    }

    private static void CheckColumns(ref DuckDBResult result, DuckDBType[] columns)
    {
        var count = (long)NativeMethods.Query.DuckDBColumnCount(ref result);
        if (count != columns.Length)
        {
            throw new InvalidDataException($"DuckDB store: a query gave {count} columns where {columns.Length} were expected.");
        }

        for (var c = 0; c < columns.Length; c++)
        {
            var type = NativeMethods.Query.DuckDBColumnType(ref result, c);
            if (type != columns[c])
            {
                throw new InvalidDataException(
                    $"DuckDB store: column {c + 1} ({NativeMethods.Query.DuckDBColumnName(ref result, c)}) is {type}, not {columns[c]}: the store was written by another version.");
            }
        }
    }

    /// <summary>The data of column <paramref name="column"/> of a chunk.</summary>
    public static IntPtr Data(DuckDBDataChunk chunk, int column) =>
        DuckDbNative.VectorGetData(NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, column));
}
