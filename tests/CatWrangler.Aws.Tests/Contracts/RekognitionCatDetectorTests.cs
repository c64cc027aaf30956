using System.Text.Json;
using CatWrangler.Adapters.Aws;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Aws.Tests.Contracts;

public sealed class RekognitionCatDetectorTests : IDisposable
{
    private const string CatResponse = """
        {"Labels":[{"Name":"Cat","Confidence":97.5,"Instances":[{"BoundingBox":{"Width":0.5,"Height":0.25,"Left":0.1,"Top":0.2},"Confidence":96.0}],"Parents":[{"Name":"Pet"},{"Name":"Animal"}],"Categories":[{"Name":"Animals and Pets"}]}],"LabelModelVersion":"3.0"}
        """;

    private static readonly AwsSigningCredentials Credentials = new("AKIDTEST", "secret", "session-token-value");
    private readonly WireMockServer _server = LoopbackWireMock.Start();
    private readonly HttpClient _http = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T08:00:00Z"));

    public void Dispose()
    {
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private RekognitionCatDetector Detector(RekognitionOptions? options = null, double? threshold = null, bool bucket = true)
        => new(
            _http,
            new FixedCredentials(Credentials),
            new RekognitionEndpoint(new Uri(_server.Url! + "/"), "us-east-1"),
            options ?? new RekognitionOptions { MinConfidence = 60 },
            new DetectorOptions { Kind = "rekognition", Threshold = threshold },
            bucket ? new AwsOptions { BucketName = "images-bucket" } : null,
            _time);

    private void Stub(int status, string body)
        => _server
            .Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", RekognitionCatDetector.Target))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/x-amz-json-1.1").WithBody(body));

    private static ImageContent Image(int bytes = 1000, int width = 640, int height = 480, string? key = "ab12/ab12")
        => new(new byte[bytes], ImageFormat.Jpeg, width, height, key);

    [Fact]
    public async Task A_cat_in_s3_gives_a_cat_verdict_with_pixel_boxes_and_the_raw_response()
    {
        Stub(200, CatResponse);

        var result = await Detector().DetectAsync(Image(), TestContext.Current.CancellationToken);

        Assert.True(result.Verdict.IsCat);
        Assert.Equal(0.975, result.Verdict.Confidence, 6);
        var box = Assert.Single(result.Verdict.Boxes);
        Assert.Equal((64.0, 96.0, 320.0, 120.0, 0.96), (box.X, box.Y, box.Width, box.Height, box.Score));
        Assert.Equal("3.0", result.Verdict.ModelVersion);
        Assert.Equal(0.8, result.Verdict.Threshold);
        Assert.Equal(CatResponse, result.Diagnostics.RawResponse);
    }

    [Fact]
    public async Task The_request_names_the_s3_object_filters_on_cat_and_is_signed_with_the_session_token()
    {
        Stub(200, CatResponse);

        await Detector().DetectAsync(Image(), TestContext.Current.CancellationToken);

        var request = Assert.Single(_server.LogEntries).RequestMessage!;
        using var body = JsonDocument.Parse(request.Body!);
        var root = body.RootElement;
        Assert.Equal("images-bucket", root.GetProperty("Image").GetProperty("S3Object").GetProperty("Bucket").GetString());
        Assert.Equal("ab12/ab12", root.GetProperty("Image").GetProperty("S3Object").GetProperty("Name").GetString());
        Assert.False(root.GetProperty("Image").TryGetProperty("Bytes", out _));
        Assert.Equal(60, root.GetProperty("MinConfidence").GetDouble());
        Assert.Equal(["Cat"], root.GetProperty("Settings").GetProperty("GeneralLabels").GetProperty("LabelInclusionFilters").EnumerateArray().Select(e => e.GetString()));

        Assert.StartsWith("application/x-amz-json-1.1", request.Headers!["Content-Type"].First());
        Assert.Equal("session-token-value", request.Headers["X-Amz-Security-Token"].First());
        Assert.Equal("20261128T080000Z", request.Headers["X-Amz-Date"].First());
        var authorization = request.Headers["Authorization"].First();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20261128/us-east-1/rekognition/aws4_request, SignedHeaders=", authorization);
        Assert.Contains("x-amz-security-token", authorization);
        Assert.Contains("x-amz-target", authorization);
    }

    [Fact]
    public async Task Without_a_storage_key_the_bytes_are_sent_inline()
    {
        Stub(200, """{"Labels":[]}""");
        var image = Image(key: null) with { Bytes = new byte[] { 1, 2, 3, 4 } };

        var result = await Detector().DetectAsync(image, TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(Assert.Single(_server.LogEntries).RequestMessage!.Body!);
        Assert.Equal(Convert.ToBase64String([1, 2, 3, 4]), body.RootElement.GetProperty("Image").GetProperty("Bytes").GetString());
        Assert.False(result.Verdict.IsCat);
        Assert.Equal(0, result.Verdict.Confidence);
    }

    [Theory]
    [InlineData(70.0, null, false)]
    [InlineData(70.0, 0.6, true)]
    [InlineData(80.0, null, true)]
    public async Task The_threshold_decides(double confidence, double? threshold, bool isCat)
    {
        Stub(200, $$"""{"Labels":[{"Name":"Cat","Confidence":{{confidence}}}]}""");
        var result = await Detector(threshold: threshold).DetectAsync(Image(), TestContext.Current.CancellationToken);
        Assert.Equal(isCat, result.Verdict.IsCat);
    }

    [Theory]
    [InlineData(6 * 1024 * 1024, 640, 480, null, ImageRejection.TooLarge)]
    [InlineData(16 * 1024 * 1024, 640, 480, "ab12/ab12", ImageRejection.TooLarge)]
    [InlineData(1000, 79, 480, "ab12/ab12", ImageRejection.BadDimensions)]
    [InlineData(1000, 640, 60, null, ImageRejection.BadDimensions)]
    public async Task Rekognition_limits_are_checked_before_any_call(int bytes, int width, int height, string? key, ImageRejection reason)
    {
        Stub(200, CatResponse);

        var error = await Assert.ThrowsAsync<ImageRejectedException>(() => Detector().DetectAsync(Image(bytes, width, height, key), TestContext.Current.CancellationToken));

        Assert.Equal(reason, error.Reason);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Six_megabytes_in_s3_are_within_the_s3_limit()
    {
        Stub(200, CatResponse);
        await Detector().DetectAsync(Image(6 * 1024 * 1024), TestContext.Current.CancellationToken);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task An_unreadable_image_is_a_permanent_rejection()
    {
        Stub(400, """{"__type":"InvalidImageFormatException","Message":"Request has invalid image format"}""");
        var error = await Assert.ThrowsAsync<ImageRejectedException>(() => Detector().DetectAsync(Image(), TestContext.Current.CancellationToken));
        Assert.Equal(ImageRejection.UnsupportedFormat, error.Reason);
    }

    [Theory]
    [InlineData(400, """{"__type":"ThrottlingException","message":"Slow down"}""", "ThrottlingException")]
    [InlineData(400, """{"__type":"com.amazonaws.rekognition#AccessDeniedException","Message":"no"}""", "AccessDeniedException")]
    [InlineData(500, "<html>bad gateway</html>", "Unknown")]
    public async Task Service_errors_are_transient_and_typed(int status, string body, string type)
    {
        Stub(status, body);
        var error = await Assert.ThrowsAsync<RekognitionException>(() => Detector().DetectAsync(Image(), TestContext.Current.CancellationToken));
        Assert.Equal(type, error.ErrorType);
        Assert.Equal(status, (int)error.StatusCode);
    }

    private sealed class FixedCredentials(AwsSigningCredentials credentials) : IAwsCredentialSource
    {
        public ValueTask<AwsSigningCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
    }
}
