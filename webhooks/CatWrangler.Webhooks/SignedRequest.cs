using CatWrangler.Core.Security;

namespace CatWrangler.Webhooks;

/// <summary>A request from a known client with all signature headers; the signature itself is still to be verified.</summary>
public sealed record SignedRequest(ApiClient Client, string WebhookId, string Timestamp, string Signature);
