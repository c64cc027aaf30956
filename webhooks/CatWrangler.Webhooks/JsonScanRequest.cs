namespace CatWrangler.Webhooks;

/// <summary>The <c>application/json</c> body of <c>POST /v1/scans</c>. Exactly one of the image members is set.</summary>
public sealed record JsonScanRequest(JsonScanImage? Image, string? CallbackUrl, string? Reference, bool? Debug);
