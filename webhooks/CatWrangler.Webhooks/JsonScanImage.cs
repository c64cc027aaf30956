namespace CatWrangler.Webhooks;

/// <summary>Where the image is: inline (<see cref="Base64"/>), staged by <c>POST /v1/uploads</c>, or at a URL.</summary>
public sealed record JsonScanImage(string? Url, byte[]? Base64, string? UploadId);
