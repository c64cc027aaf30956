using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Core.Images;
using CatWrangler.Core.Uploads;

namespace CatWrangler.Aws.Tests.Adapters;

/// <summary>The presigned S3 <c>PUT</c> of the two-step upload against the S3 emulator: a plain HTTP client with no AWS credentials uploads.</summary>
[Trait("Category", "Aws")]
public sealed class S3UploadStagingTests(AwsEmulators emulators) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly HttpClient _http = new();
    private AwsOptions _options = new();
    private AmazonS3Client? _s3;

    public async ValueTask InitializeAsync()
    {
        _options = await emulators.StartAsync();
        _s3 = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true });
    }

    public ValueTask DisposeAsync()
    {
        _s3?.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_presigned_put_stages_the_exact_bytes_for_that_client_only()
    {
        var staging = new S3UploadStaging(_s3!, _options, new UploadOptions(), new ImageLimits(), TimeProvider.System);
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var slot = await staging.CreateAsync("acme", new Uri("https://api.example.com/"), Ct);
        Assert.Equal("PUT", slot.Method);
        Assert.Contains("X-Amz-Signature=", slot.Url.Query, StringComparison.Ordinal);
        Assert.Contains($"/{_options.BucketName}/uploads/acme/{slot.UploadId}", slot.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(new ImageLimits().MaxBytes, slot.MaxBytes);
        Assert.IsType<StagedUpload.Missing>(await staging.ReadAsync("acme", slot.UploadId, long.MaxValue, Ct));

        using (var put = await _http.PutAsync(slot.Url, new ByteArrayContent(bytes), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var found = Assert.IsType<StagedUpload.Found>(await staging.ReadAsync("acme", slot.UploadId, long.MaxValue, Ct));
        Assert.Equal(bytes, found.Bytes);
        Assert.IsType<StagedUpload.Missing>(await staging.ReadAsync("inspector", slot.UploadId, long.MaxValue, Ct));
        Assert.Equal(bytes.Length, Assert.IsType<StagedUpload.TooLarge>(await staging.ReadAsync("acme", slot.UploadId, 1000, Ct)).Bytes);
    }
}
