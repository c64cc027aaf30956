using System.Security.Cryptography;
using Amazon.S3;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;

namespace CatWrangler.Aws.Tests.Adapters;

[Trait("Category", "Aws")]
public sealed class S3ImageStoreTests(AwsEmulators emulators) : IAsyncLifetime
{
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
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Put_then_get_returns_the_exact_bytes_under_a_content_addressed_key()
    {
        var store = new S3ImageStore(_s3!, _options);
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var key = await store.PutAsync(sha, "image/jpeg", bytes, TestContext.Current.CancellationToken);
        var back = await store.GetAsync(key, TestContext.Current.CancellationToken);

        Assert.Equal($"{sha[..4]}/{sha}", key);
        Assert.NotNull(back);
        Assert.Equal(bytes.Length, back!.Length);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(back)));
    }

    [Fact]
    public async Task Put_records_content_type_and_metadata_linking_back_to_the_scan()
    {
        var store = new S3ImageStore(_s3!, _options with { KeyPrefix = "images/" });
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var key = await store.PutAsync(sha, "image/png", bytes, "scan-123", TestContext.Current.CancellationToken);
        var head = await _s3!.GetObjectMetadataAsync(_options.BucketName, key, TestContext.Current.CancellationToken);

        Assert.StartsWith("images/", key);
        Assert.Equal("image/png", head.Headers.ContentType);
        Assert.Equal("scan-123", head.Metadata["scan-id"]);
        Assert.Equal(sha, head.Metadata["sha256"]);
    }

    [Fact]
    public async Task An_annotated_picture_goes_under_the_prefix_and_annotated_and_comes_back()
    {
        var store = new S3ImageStore(_s3!, _options with { KeyPrefix = "images/" });
        var png = RandomNumberGenerator.GetBytes(5000);
        var scanId = Guid.CreateVersion7().ToString();

        await store.PutAnnotatedAsync(scanId, png, TestContext.Current.CancellationToken);
        var head = await _s3!.GetObjectMetadataAsync(_options.BucketName, $"images/annotated/{scanId}.png", TestContext.Current.CancellationToken);

        Assert.Equal("image/png", head.Headers.ContentType);
        Assert.Equal(scanId, head.Metadata["scan-id"]);
        Assert.Equal(png, await store.GetAnnotatedAsync(scanId, TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAnnotatedAsync(Guid.CreateVersion7().ToString(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_of_an_unknown_key_is_null()
    {
        var store = new S3ImageStore(_s3!, _options);
        Assert.Null(await store.GetAsync("0000/" + new string('0', 64), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Keys_refuse_anything_but_a_lower_case_sha256()
    {
        Assert.Throws<ArgumentException>(() => S3ImageStore.KeyFor("", "../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => S3ImageStore.KeyFor("", new string('A', 64)));
    }
}
