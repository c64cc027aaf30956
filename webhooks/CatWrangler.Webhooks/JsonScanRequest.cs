namespace CatWrangler.Webhooks;

/// <summary>The <c>application/json</c> body of <c>POST /v1/scans</c>. Exactly one of the image members is set.</summary>
public sealed record JsonScanRequest(JsonScanImage? Image, string? CallbackUrl, string? Reference, bool? Debug);

/// <summary>Where the image is: inline (<see cref="Base64"/>), staged by <c>POST /v1/uploads</c>, or at a URL.</summary>
public sealed record JsonScanImage(string? Url, byte[]? Base64, string? UploadId);
