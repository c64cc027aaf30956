using System.Globalization;

namespace CatWrangler.Webhooks;

/// <summary>A request whose headers passed the cheap checks; the signature over the body is still to be verified.</summary>
public sealed record SignedRequest(ApiClient Client, string WebhookId, string Timestamp, string Signature);

/// <summary>Why a request was not authenticated: a machine code and a sentence for the caller.</summary>
public sealed record AuthFailure(string Code, string Detail);

/// <summary>
/// Standard Webhooks authentication of inbound API calls, in two steps so that nothing is read from the body of a
/// request whose headers already fail: <see cref="CheckHeadersAsync"/>, then <see cref="VerifyBody"/>.
/// </summary>
public sealed class RequestAuthenticator(ApiClientRegistry clients, TimeProvider time, ScanApiOptions options)
{
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

        if (id.Length > 256)
        {
            return (null, new AuthFailure("invalid_webhook_id", "webhook-id must be at most 256 characters."));
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return (null, new AuthFailure("invalid_timestamp", "webhook-timestamp must be Unix seconds."));
        }

        var skew = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799));
        if (skew.Duration() > options.TimestampTolerance)
        {
            return (null, new AuthFailure("stale_timestamp",
                $"webhook-timestamp is {Math.Abs((long)skew.TotalSeconds)} s away from the server clock (tolerance {options.TimestampTolerance.TotalSeconds:0} s)."));
        }

        var client = await clients.FindAsync(clientId, cancellationToken);
        if (client is null)
        {
            return (null, new AuthFailure("unknown_client", $"Unknown client '{Truncate(clientId)}' in {ApiHeaders.Client}."));
        }

        return (new SignedRequest(client, id, timestamp, signature), null);
    }

    /// <summary>Null when one of the client's secrets signed <c>{id}.{timestamp}.{body}</c>.</summary>
    public static AuthFailure? VerifyBody(SignedRequest request, ReadOnlySpan<byte> body)
    {
        foreach (var secret in request.Client.Secrets)
        {
            if (SignatureCheck.IsValid(secret, request.WebhookId, request.Timestamp, body, request.Signature))
            {
                return null;
            }
        }

        return new AuthFailure("invalid_signature", "webhook-signature does not match the request for any secret of this client.");
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];
}
