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
    public async Task<(byte[]? Body, IResult? Problem)> ReadVerifiedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large"));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large"));
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        var secret = await secrets.GetAsync(SlackOptions.SigningSecretKey, cancellationToken);
        var result = verifier.Verify(
            secret,
            request.Headers[SlackRequestVerifier.TimestampHeader],
            request.Headers[SlackRequestVerifier.SignatureHeader],
            body,
            options.SignatureTolerance);
        if (result is SlackVerification.Invalid invalid)
        {
            Log.SignatureRejected(logger, invalid.Reason);
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Slack signature verification failed",
                detail: invalid.Reason));
        }

        return (body, null);
    }
}
