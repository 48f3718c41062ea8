using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace OpenAttribution.Stores.DuckDb;

/// <summary>Runs a query through the DuckDB C API as a stream and hands over its data chunks.</summary>
internal static class DuckDbChunks
{
    /// <summary>Calls <paramref name="onChunk"/> with every non-empty chunk of <paramref name="sql"/> and its row count.</summary>
    public static void Stream(DuckDBConnection connection, string sql, Action<DuckDBDataChunk, int> onChunk, CancellationToken cancellationToken)
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

    /// <summary>The data of column <paramref name="column"/> of a chunk.</summary>
    public static IntPtr Data(DuckDBDataChunk chunk, int column) =>
        DuckDbNative.VectorGetData(NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, column));
}
