namespace CatWrangler.Webhooks;

/// <summary>Header names of the scan API (Standard Webhooks plus the caller's name).</summary>
public static class ApiHeaders
{
    public const string Client = "CatWrangler-Client";
    public const string WebhookId = "webhook-id";
    public const string WebhookTimestamp = "webhook-timestamp";
    public const string WebhookSignature = "webhook-signature";
}
