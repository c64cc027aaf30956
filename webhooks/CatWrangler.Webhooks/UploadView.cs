using CatWrangler.Core.Uploads;

namespace CatWrangler.Webhooks;

/// <summary>The answer of <c>POST /v1/uploads</c>: send the image with <see cref="Method"/> to <see cref="Url"/> before <see cref="ExpiresAt"/>.</summary>
/// <param name="Headers">Headers to send with the upload exactly as given (may be empty).</param>
public sealed record UploadView(string UploadId, Uri Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, long MaxBytes)
{
    public static UploadView From(UploadSlot slot) => new(slot.UploadId, slot.Url, slot.Method, slot.Headers, slot.ExpiresAt, slot.MaxBytes);
}
