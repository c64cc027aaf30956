using System.Buffers;

namespace CatWrangler.Adapters.Http;

/// <summary>Reads response bodies without trusting their size: a declared or actual length over the cap stops the read.</summary>
public static class CappedContent
{
    /// <summary>The whole body, at most <paramref name="maxBytes"/> bytes; throws <see cref="ResponseTooLargeException"/> past it.</summary>
    public static async Task<byte[]> ReadAsBytesCappedAsync(this HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new ResponseTooLargeException(maxBytes);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream(content.Headers.ContentLength is { } length ? (int)length : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new ResponseTooLargeException(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
