using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>
/// Standard Webhooks authentication of inbound API calls, in two steps so that nothing is read from the body of a
/// request from an unknown caller or with a stale timestamp: <see cref="CheckHeadersAsync"/>, then the body's signature
/// (<see cref="SignedBodyReader"/> while it streams, or <see cref="VerifyEmptyBody"/> for a GET).
/// </summary>
public sealed class RequestAuthenticator(ApiClientRegistry clients, TimeProvider time, ScanApiOptions options)
{
    public const int MaxWebhookIdLength = 256;

    public async ValueTask<HeaderCheck> CheckHeadersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? clientId = request.Headers[ApiHeaders.Client];
        string? id = request.Headers[ApiHeaders.WebhookId];
        string? timestamp = request.Headers[ApiHeaders.WebhookTimestamp];
        string? signature = request.Headers[ApiHeaders.WebhookSignature];
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return new HeaderCheck.Failed(new AuthFailure("missing_signature",
                $"Sign the request: headers {ApiHeaders.Client}, {ApiHeaders.WebhookId}, {ApiHeaders.WebhookTimestamp} and {ApiHeaders.WebhookSignature} are required."));
        }

        if (id.Length > MaxWebhookIdLength)
        {
            return new HeaderCheck.Failed(new AuthFailure("invalid_webhook_id", $"webhook-id must be at most {MaxWebhookIdLength} characters."));
        }

        if (CheckTimestamp(timestamp) is { } stale)
        {
            return new HeaderCheck.Failed(stale);
        }

        var client = await clients.FindAsync(clientId, cancellationToken);
        if (client is null)
        {
            return new HeaderCheck.Failed(new AuthFailure("unknown_client", $"Unknown client '{(clientId.Length <= 64 ? clientId : clientId[..64])}' in {ApiHeaders.Client}."));
        }

        return new HeaderCheck.Signed(new SignedRequest(client, id, timestamp, signature));
    }

    public static AuthFailure SignatureMismatch { get; } = new("invalid_signature", "webhook-signature does not match the request for any secret of this client.");

    /// <summary>Null when one of the client's secrets signed <c>{id}.{timestamp}.</c> with nothing after it.</summary>
    public static AuthFailure? VerifyEmptyBody(SignedRequest request)
    {
        using var verifier = StandardWebhooksVerifier.Start(request.Client.Secrets, request.WebhookId, request.Timestamp);
        return verifier.Matches(request.Signature) ? null : SignatureMismatch;
    }

    private AuthFailure? CheckTimestamp(string timestamp)
        => StandardWebhooksSignature.CheckTimestamp(timestamp, time.GetUtcNow(), options.TimestampTolerance) switch
        {
            SignatureCheck.Valid => null,
            SignatureCheck.Expired => new AuthFailure("stale_timestamp",
                $"webhook-timestamp is more than {options.TimestampTolerance.TotalSeconds:0} s away from the server clock; sign each request afresh."),
            _ => new AuthFailure("invalid_timestamp", "webhook-timestamp must be Unix seconds."),
        };
}
