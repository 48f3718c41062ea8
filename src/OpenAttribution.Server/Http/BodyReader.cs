using System.Buffers;

namespace OpenAttribution.Server.Http;

/// <summary>Reads a request body into a pooled buffer, up to a limit.</summary>
internal sealed class BodyReader : IDisposable
{
    private byte[] _buffer;

    private BodyReader(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<BodyReader?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (length > limit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }

        return new BodyReader(buffer, length);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
