using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>Header names of the scan API (Standard Webhooks plus the caller's name).</summary>
public static class ApiHeaders
{
    public const string Client = "CatWrangler-Client";
    public const string WebhookId = StandardWebhooksSignature.IdHeader;
    public const string WebhookTimestamp = StandardWebhooksSignature.TimestampHeader;
    public const string WebhookSignature = StandardWebhooksSignature.SignatureHeader;
}
