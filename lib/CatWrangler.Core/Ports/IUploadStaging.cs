using CatWrangler.Core.Uploads;

namespace CatWrangler.Core.Ports;

/// <summary>Port: short-lived staging of images too large for an inline request (presigned S3 <c>PUT</c>, or a signed local URL).</summary>
public interface IUploadStaging
{
    /// <summary>A new upload slot for <paramref name="clientId"/>; <paramref name="apiBase"/> is where a local URL points.</summary>
    Task<UploadSlot> CreateAsync(string clientId, Uri apiBase, CancellationToken cancellationToken);

    /// <summary>The staged bytes of <paramref name="clientId"/>'s upload, reading at most <paramref name="maxBytes"/>.</summary>
    Task<StagedUpload> ReadAsync(string clientId, string uploadId, long maxBytes, CancellationToken cancellationToken);
}
