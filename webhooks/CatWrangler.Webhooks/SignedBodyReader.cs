using CatWrangler.Core.Buffers;
using CatWrangler.Core.Security;
using Microsoft.AspNetCore.Http.Features;

namespace CatWrangler.Webhooks;

/// <summary>
/// Reads the body of a request whose headers passed <see cref="RequestAuthenticator.CheckHeadersAsync"/> with the one
/// <see cref="BoundedBodyReader"/>: its pooled segments are counted against <see cref="PreAuthBodyBudget"/> and the bytes go
/// into the signature's HMAC as they arrive. Only a verified body is handed on.
/// </summary>
public sealed class SignedBodyReader(PreAuthBodyBudget budget, ILogger<SignedBodyReader> logger)
{
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

        try
        {
            using var verifier = StandardWebhooksVerifier.Start(signed.Client.Secrets, signed.WebhookId, signed.Timestamp);
            var read = await BoundedBodyReader.ReadAsync(
                request.Body,
                maxBytes,
                cancellationToken,
                reserveSegment: length => length + BoundedBodyReader.SegmentBytes <= reservation.Bytes || reservation.TryGrow(BoundedBodyReader.SegmentBytes),
                observe: verifier.Append);
            switch (read)
            {
                case BoundedRead.Complete complete when verifier.Matches(signed.Signature):
                    return new BodyRead.Verified(complete.Body);
                case BoundedRead.Complete unsigned:
                    unsigned.Body.Dispose();
                    return new BodyRead.Unauthorized(RequestAuthenticator.SignatureMismatch);
                case BoundedRead.OverBudget:
                    return new BodyRead.Busy(BusyRetryAfter);
                default:
                    return new BodyRead.TooLarge();
            }
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
    }
}
