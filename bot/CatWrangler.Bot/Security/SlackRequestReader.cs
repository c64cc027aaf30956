using CatWrangler.Core.Buffers;
using CatWrangler.Core.Ports;
using CatWrangler.Slack;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Bot.Security;

/// <summary>Reads a request's raw bytes and verifies Slack's signature over exactly those bytes.</summary>
internal sealed class SlackRequestReader(SlackRequestVerifier verifier, ISecretStore secrets, SlackOptions options, ILogger<SlackRequestReader> logger)
{
    /// <summary>Slack's event and command payloads are a few kilobytes; anything far larger is not Slack.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The verified body, or the problem response to send instead.</summary>
    public async Task<SlackRequestRead> ReadVerifiedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes
            || await BoundedBodyReader.ReadAsync(request.Body, MaxBodyBytes, cancellationToken) is not BoundedRead.Complete complete)
        {
            return new SlackRequestRead.Refused(TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large"));
        }

        using var pooled = complete.Body;
        var secret = await secrets.GetAsync(SlackOptions.SigningSecretKey, cancellationToken);
        var result = verifier.Verify(
            secret,
            request.Headers[SlackRequestVerifier.TimestampHeader],
            request.Headers[SlackRequestVerifier.SignatureHeader],
            pooled.Memory.Span,
            options.SignatureTolerance);
        if (result is SlackVerification.Invalid invalid)
        {
            Log.SignatureRejected(logger, invalid.Reason);
            return new SlackRequestRead.Refused(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Slack signature verification failed",
                detail: invalid.Reason));
        }

        // Slack payloads are a few kilobytes: a copy the handlers may keep beyond the pooled buffer's life.
        return new SlackRequestRead.Verified(pooled.Memory.ToArray());
    }
}
