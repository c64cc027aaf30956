using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Uploads;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Two-step uploads on AWS: a presigned S3 <c>PUT</c> to <c>{UploadOptions.KeyPrefix}{client}/{uploadId}</c> in the image
/// bucket, so large images never pass API Gateway and Lambda. The S3 lifecycle rule on that prefix removes objects nobody
/// submitted. A presigned URL cannot be limited to one use or one size: a second <c>PUT</c> in its lifetime replaces the
/// object, and the size is checked (from the object's length, before reading) when the upload is submitted.
/// </summary>
public sealed class S3UploadStaging(IAmazonS3 s3, AwsOptions options, UploadOptions uploads, ImageLimits limits, TimeProvider time) : IUploadStaging
{
    public string KeyFor(string clientId, string uploadId) => $"{uploads.KeyPrefix}{clientId}/{uploadId}";

    public async Task<UploadSlot> CreateAsync(string clientId, Uri apiBase, CancellationToken cancellationToken)
    {
        var id = UploadIds.New();
        var expires = time.GetUtcNow() + uploads.UrlLifetime;
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = options.BucketName,
            Key = KeyFor(clientId, id),
            Verb = HttpVerb.PUT,
            Expires = expires.UtcDateTime,
            Protocol = S3Protocol(),
        });
        return new UploadSlot(id, new Uri(url), "PUT", new Dictionary<string, string>(), expires, limits.MaxBytes);
    }

    public async Task<StagedUpload> ReadAsync(string clientId, string uploadId, long maxBytes, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId))
        {
            return new StagedUpload.Missing();
        }

        try
        {
            using var response = await s3.GetObjectAsync(options.BucketName, KeyFor(clientId, uploadId), cancellationToken);
            if (response.ContentLength > maxBytes)
            {
                return new StagedUpload.TooLarge(response.ContentLength);
            }

            if (time.GetUtcNow() - response.LastModified > uploads.Retention)
            {
                return new StagedUpload.Missing();
            }

            using var buffer = new MemoryStream((int)response.ContentLength);
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return new StagedUpload.Found(buffer.ToArray());
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new StagedUpload.Missing();
        }
    }

    /// <summary>HTTPS, except against a plain-http endpoint override (emulators), which presigning would otherwise ignore.</summary>
    private static Protocol S3Protocol()
        => Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") is { } endpoint && endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            ? Protocol.HTTP
            : Protocol.HTTPS;
}
