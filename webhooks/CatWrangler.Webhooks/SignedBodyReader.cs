using System.Buffers;
using CatWrangler.Core.Security;
using Microsoft.AspNetCore.Http.Features;

namespace CatWrangler.Webhooks;

/// <summary>
/// Reads the body of a request whose headers passed <see cref="RequestAuthenticator.CheckHeadersAsync"/>: the bytes go
/// into small pooled segments counted against <see cref="PreAuthBodyBudget"/> and into the signature's HMAC as they
/// arrive. Only a verified body becomes one contiguous <see cref="PooledBody"/>; every segment is returned on every path.
/// </summary>
public sealed class SignedBodyReader(PreAuthBodyBudget budget, ILogger<SignedBodyReader> logger)
{
    /// <summary>Below the large-object-heap threshold, so segments are cheap to pool and never pin a full collection.</summary>
    public const int SegmentBytes = 64 * 1024;

    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    public async Task<BodyRead> ReadAsync(HttpRequest request, SignedRequest signed, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new BodyRead.TooLarge();
        }

        // Let the server enforce the same limit for chunked bodies, too.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        using var reservation = budget.Open(signed.Client.Id);
        if (request.ContentLength is > 0 and var declared && !reservation.TryGrow(declared))
        {
            return new BodyRead.Busy(BusyRetryAfter);
        }

        var segments = new List<byte[]>();
        try
        {
            using var verifier = StandardWebhooksVerifier.Start(signed.Client.Secrets, signed.WebhookId, signed.Timestamp);
            var length = 0L;
            while (true)
            {
                var offset = (int)(length % SegmentBytes);
                if (offset == 0 && length == segments.Count * (long)SegmentBytes)
                {
                    if (length + SegmentBytes > reservation.Bytes && !reservation.TryGrow(SegmentBytes))
                    {
                        return new BodyRead.Busy(BusyRetryAfter);
                    }

                    segments.Add(ArrayPool<byte>.Shared.Rent(SegmentBytes));
                }

                var segment = segments[^1].AsMemory(offset, SegmentBytes - offset);
                var read = await request.Body.ReadAsync(segment, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return new BodyRead.TooLarge();
                }

                verifier.Append(segment.Span[..read]);
            }

            if (!verifier.Matches(signed.Signature))
            {
                return new BodyRead.Unauthorized(RequestAuthenticator.SignatureMismatch);
            }

            return new BodyRead.Verified(PooledBody.Concat(segments, (int)length));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new BodyRead.TooLarge();
        }
        catch (BadHttpRequestException e) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return new BodyRead.Malformed(e.Message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The caller went away (reset, cancelled, or a bad-request exception raised by the abort itself).
            Log.UploadAborted(logger, signed.Client.Id);
            request.HttpContext.Abort();
            return new BodyRead.Aborted();
        }
        finally
        {
            foreach (var segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }
        }
    }
}
