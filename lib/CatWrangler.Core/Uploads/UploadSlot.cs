namespace CatWrangler.Core.Uploads;

/// <summary>Where and until when a client may <c>PUT</c> one image; submitted later as <c>{"image":{"uploadId":…}}</c>.</summary>
/// <param name="Headers">Headers the <c>PUT</c> must carry exactly as given (part of a presigned request).</param>
public sealed record UploadSlot(string UploadId, Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, long MaxBytes);
