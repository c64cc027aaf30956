using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using CatWrangler.Core.Annotation;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Images in S3 under content-addressed keys <c>{prefix}{sha[0..4]}/{sha}</c>: the leading hash characters spread
/// keys over many prefixes, so request rates scale with S3's per-prefix partitioning. Server-side encrypted. Annotated
/// pictures go to <c>{prefix}annotated/{scanId}.png</c>, which the bucket's expiry rule covers like every other key.
/// </summary>
public sealed class S3ImageStore(IAmazonS3 s3, AwsOptions options) : IImageStore
{
    public static string KeyFor(string prefix, string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Expected a lower-case hex SHA-256.", nameof(sha256));
        }

        return $"{prefix}{sha256[..4]}/{sha256}";
    }

    public Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        => PutAsync(sha256, contentType, bytes, scanId: null, cancellationToken);

    public async Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, string? scanId, CancellationToken cancellationToken)
    {
        var key = KeyFor(options.KeyPrefix, sha256);
        var request = Request(key, contentType, bytes);
        request.Metadata.Add("sha256", sha256);
        if (scanId is not null)
        {
            // Content-addressed: several scans may share the object; this names the one that stored it last.
            request.Metadata.Add("scan-id", scanId);
        }

        await s3.PutObjectAsync(request, cancellationToken);
        return key;
    }

    public async Task PutAnnotatedAsync(string scanId, ReadOnlyMemory<byte> png, CancellationToken cancellationToken)
    {
        var request = Request(options.KeyPrefix + AnnotatedImageKey.For(scanId), AnnotatedImageKey.ContentType, png);
        request.Metadata.Add("scan-id", scanId);
        await s3.PutObjectAsync(request, cancellationToken);
    }

    public Task<byte[]?> GetAnnotatedAsync(string scanId, CancellationToken cancellationToken)
        => GetAsync(options.KeyPrefix + AnnotatedImageKey.For(scanId), cancellationToken);

    private PutObjectRequest Request(string key, string contentType, ReadOnlyMemory<byte> bytes)
        => new()
        {
            BucketName = options.BucketName,
            Key = key,
            ContentType = contentType,
            InputStream = new MemoryStream(bytes.ToArray(), writable: false),
            // aws-chunked framing is unnecessary for a buffered body, and emulators store it as content.
            UseChunkEncoding = false,
            ServerSideEncryptionMethod = options.KmsKeyId is null ? ServerSideEncryptionMethod.AES256 : ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = options.KmsKeyId,
        };

    public async Task<byte[]?> GetAsync(string storageKey, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(options.BucketName, storageKey, cancellationToken);
            using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
