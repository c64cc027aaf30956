using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>A request from a known client with all signature headers; the signature itself is still to be verified.</summary>
public sealed record SignedRequest(ApiClient Client, string WebhookId, string Timestamp, string Signature);

/// <summary>Why a request was not authenticated: a machine code and a sentence for the caller.</summary>
public sealed record AuthFailure(string Code, string Detail);

/// <summary>
/// Standard Webhooks authentication of inbound API calls, in two steps so that nothing is read from the body of a
/// request from an unknown caller: <see cref="CheckHeadersAsync"/>, then <see cref="VerifyBody"/>.
/// </summary>
public sealed class RequestAuthenticator(ApiClientRegistry clients, TimeProvider time, ScanApiOptions options)
{
    public const int MaxWebhookIdLength = 256;

    public async ValueTask<(SignedRequest? Request, AuthFailure? Failure)> CheckHeadersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? clientId = request.Headers[ApiHeaders.Client];
        string? id = request.Headers[ApiHeaders.WebhookId];
        string? timestamp = request.Headers[ApiHeaders.WebhookTimestamp];
        string? signature = request.Headers[ApiHeaders.WebhookSignature];
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return (null, new AuthFailure("missing_signature",
                $"Sign the request: headers {ApiHeaders.Client}, {ApiHeaders.WebhookId}, {ApiHeaders.WebhookTimestamp} and {ApiHeaders.WebhookSignature} are required."));
        }

        if (id.Length > MaxWebhookIdLength)
        {
            return (null, new AuthFailure("invalid_webhook_id", $"webhook-id must be at most {MaxWebhookIdLength} characters."));
        }

        var client = await clients.FindAsync(clientId, cancellationToken);
        if (client is null)
        {
            return (null, new AuthFailure("unknown_client", $"Unknown client '{(clientId.Length <= 64 ? clientId : clientId[..64])}' in {ApiHeaders.Client}."));
        }

        return (new SignedRequest(client, id, timestamp, signature), null);
    }

    /// <summary>Null when the timestamp is fresh and one of the client's secrets signed <c>{id}.{timestamp}.{body}</c>.</summary>
    public AuthFailure? VerifyBody(SignedRequest request, ReadOnlySpan<byte> body)
        => StandardWebhooksSignature.Verify(request.Client.Secrets, request.WebhookId, request.Timestamp, request.Signature, body, time.GetUtcNow(), options.TimestampTolerance) switch
        {
            SignatureCheck.Valid => null,
            SignatureCheck.MissingHeaders => new AuthFailure("missing_signature", "The Standard Webhooks headers are incomplete."),
            SignatureCheck.BadTimestamp => new AuthFailure("invalid_timestamp", "webhook-timestamp must be Unix seconds."),
            SignatureCheck.Expired => new AuthFailure("stale_timestamp",
                $"webhook-timestamp is more than {options.TimestampTolerance.TotalSeconds:0} s away from the server clock; sign each request afresh."),
            _ => new AuthFailure("invalid_signature", "webhook-signature does not match the request for any secret of this client."),
        };
}
