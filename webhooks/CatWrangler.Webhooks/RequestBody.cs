using Microsoft.AspNetCore.Http.Features;

namespace CatWrangler.Webhooks;

/// <summary>Reads a request body into memory while enforcing a byte limit: refuses early on Content-Length, counts otherwise.</summary>
public static class RequestBody
{
    /// <summary>The body, or null when it is (or declares to be) longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
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

        try
        {
            return request.ContentLength is { } length
                ? await ReadExactAsync(request.Body, (int)length, cancellationToken)
                : await ReadCountingAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadExactAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(length);
        await body.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    private static async Task<byte[]?> ReadCountingAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (memory.Length + read > maxBytes)
            {
                return null;
            }

            memory.Write(chunk, 0, read);
        }

        return memory.ToArray();
    }
}
