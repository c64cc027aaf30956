using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace CatWrangler.Webhooks;

/// <summary>
/// A request body in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: images are 100 KB and more, and a fresh array per
/// upload would land on the large object heap, which only a full collection frees (hundreds of MB under load).
/// Valid until disposed at the end of the request.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    internal PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => new(_buffer ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, Length);

    /// <summary>A read-only stream over the body.</summary>
    public Stream AsStream() => new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, Length, writable: false);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>Reads a request body into memory while enforcing a byte limit: refuses early on Content-Length, counts otherwise.</summary>
public static class RequestBody
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The body, or null when it is (or declares to be) longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<PooledBody?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // Let the server enforce the same limit for chunked bodies, too.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        // One byte more than declared, so reading to the end does not grow a buffer that is exactly full.
        var buffer = ArrayPool<byte>.Shared.Rent((int)(request.ContentLength + 1 ?? ChunkBytes));
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }

                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, length);
                }
            }

            return new PooledBody(buffer, length);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
