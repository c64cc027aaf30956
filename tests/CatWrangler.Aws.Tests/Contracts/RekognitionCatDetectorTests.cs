using System.Diagnostics.Metrics;
using System.Text.Json;
using CatWrangler.Adapters.Aws;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
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
            options ?? new RekognitionOptions { MinConfidence = 60, RetryBaseDelay = TimeSpan.Zero },
            new DetectorOptions { Kind = DetectorKind.Rekognition, Threshold = threshold },
            bucket ? new AwsOptions { BucketName = "images-bucket" } : null,
            _time,
            NullLogger<RekognitionCatDetector>.Instance);

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
    [InlineData(1000, 10_001, 480, "ab12/ab12", ImageRejection.BadDimensions)]
    [InlineData(1000, 640, 10_001, null, ImageRejection.BadDimensions)]
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
    public async Task Throttling_is_retried_inside_the_call_and_the_next_attempt_is_signed_afresh()
    {
        _server.Given(Request.Create().WithPath("/").UsingPost()).InScenario("throttled").WillSetStateTo("once")
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"__type":"ThrottlingException","message":"Slow down"}"""));
        _server.Given(Request.Create().WithPath("/").UsingPost()).InScenario("throttled").WhenStateIs("once")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(CatResponse));

        var result = await Detector().DetectAsync(Image(), TestContext.Current.CancellationToken);

        Assert.True(result.Verdict.IsCat);
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Theory]
    [InlineData(400, """{"__type":"ThrottlingException","message":"Slow down"}""", "ThrottlingException")]
    [InlineData(400, """{"__type":"ProvisionedThroughputExceededException","message":"Slow down"}""", "ProvisionedThroughputExceededException")]
    [InlineData(500, """{"__type":"InternalServerError","message":"oops"}""", "InternalServerError")]
    [InlineData(502, "<html>bad gateway</html>", "Unknown")]
    public async Task Transient_errors_use_the_small_retry_budget_then_go_back_to_the_queue(int status, string body, string type)
    {
        Stub(status, body);

        var error = await Assert.ThrowsAsync<RekognitionException>(() => Detector().DetectAsync(Image(), TestContext.Current.CancellationToken));

        Assert.Equal((type, RekognitionErrorKind.Transient, status), (error.ErrorType, error.Kind, (int)error.StatusCode));
        Assert.Equal(new RekognitionOptions().MaxAttempts, _server.LogEntries.Count());
    }

    [Theory]
    [InlineData(400, "InvalidS3ObjectException", """{"__type":"InvalidS3ObjectException","Message":"Unable to get object metadata from S3. Check object key, region and/or access permissions."}""", "region")]
    [InlineData(400, "AccessDeniedException", """{"__type":"com.amazonaws.rekognition#AccessDeniedException","Message":"not authorized"}""", "rekognition:DetectLabels")]
    [InlineData(400, "InvalidParameterException", """{"__type":"InvalidParameterException","Message":"Request has invalid parameters"}""", "MinConfidence")]
    [InlineData(400, "UnrecognizedClientException", """{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}""", "credentials")]
    [InlineData(403, "Unknown", "<html>forbidden by proxy</html>", "proxy")]
    public async Task Configuration_errors_fail_at_once_with_advice_are_logged_and_counted(int status, string type, string body, string advice)
    {
        Stub(status, body);
        var counted = new List<(long Value, string? Type, string? Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RekognitionMetrics.MeterName && instrument.Name == RekognitionMetrics.ErrorsInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            lock (counted)
            {
                counted.Add((value, all.Single(t => t.Key == "error.type").Value as string, all.Single(t => t.Key == "error.kind").Value as string));
            }
        });
        listener.Start();
        var logger = new FakeLogger<RekognitionCatDetector>();
        var detector = new RekognitionCatDetector(
            _http,
            new FixedCredentials(Credentials),
            new RekognitionEndpoint(new Uri(_server.Url! + "/"), "eu-west-1"),
            new RekognitionOptions(),
            new DetectorOptions(),
            new AwsOptions { BucketName = "images-bucket" },
            _time,
            logger);

        var error = await Assert.ThrowsAsync<DetectorConfigurationException>(() => detector.DetectAsync(Image(), TestContext.Current.CancellationToken));

        Assert.Single(_server.LogEntries);
        Assert.Contains(type, error.Message);
        Assert.Contains("eu-west-1", error.Message);
        Assert.Contains(advice, error.Message);
        Assert.Contains((1L, (string?)type, (string?)"configuration"), counted);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains(type, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"__type":"InvalidImageFormatException","Message":"Request has invalid image format"}""", null, ImageRejection.UnsupportedFormat)]
    [InlineData("{}", "InvalidImageFormatException:http://internal.amazon.com/coral/com.amazonaws.rekognition/", ImageRejection.UnsupportedFormat)]
    [InlineData("""{"__type":"com.amazonaws.rekognition#ImageTooLargeException:http://internal.amazon.com/","message":"too big"}""", null, ImageRejection.TooLarge)]
    [InlineData("""{"code":"ImageTooLargeException","message":"too big"}""", null, ImageRejection.TooLarge)]
    public async Task Image_rejections_are_permanent_in_every_form_the_error_name_comes_in(string body, string? header, ImageRejection reason)
    {
        var response = Response.Create().WithStatusCode(400).WithBody(body);
        _server.Given(Request.Create().WithPath("/").UsingPost()).RespondWith(header is null ? response : response.WithHeader("x-amzn-ErrorType", header));

        var error = await Assert.ThrowsAsync<ImageRejectedException>(() => Detector().DetectAsync(Image(), TestContext.Current.CancellationToken));

        Assert.Equal(reason, error.Reason);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task Boxes_of_an_exif_orientation_6_photo_are_in_the_upright_frame()
    {
        // A 500×333 JPEG whose EXIF says "rotate 90° clockwise": it is shown 333×500, and Rekognition's ratios are of that.
        Stub(200, """{"Labels":[{"Name":"Cat","Confidence":90,"Instances":[{"BoundingBox":{"Width":0.5,"Height":0.25,"Left":0.4,"Top":0.7},"Confidence":90}]}]}""");
        var image = Validated(TestImages.WithExifOrientation(TestImages.Jpeg(500, 333), 6));
        Assert.Equal((500, 333), (image.Width, image.Height));

        var result = await Detector().DetectAsync(image with { StorageKey = null }, TestContext.Current.CancellationToken);

        var box = Assert.Single(result.Verdict.Boxes);
        Assert.Equal((133.2, 350.0, 166.5, 125.0), (box.X, box.Y, box.Width, box.Height));
    }

    [Theory]
    [InlineData(1, 500, 333)]
    [InlineData(2, 500, 333)]
    [InlineData(3, 500, 333)]
    [InlineData(4, 500, 333)]
    [InlineData(5, 333, 500)]
    [InlineData(6, 333, 500)]
    [InlineData(7, 333, 500)]
    [InlineData(8, 333, 500)]
    public async Task Every_exif_orientation_maps_the_whole_image_box_to_the_displayed_size(ushort orientation, int displayedWidth, int displayedHeight)
    {
        Stub(200, """{"Labels":[{"Name":"Cat","Confidence":90,"Instances":[{"BoundingBox":{"Width":1,"Height":1,"Left":0,"Top":0},"Confidence":90}]}]}""");
        var jpeg = TestImages.WithExifOrientation(TestImages.Jpeg(500, 333), orientation);

        var result = await Detector().DetectAsync(Validated(jpeg), TestContext.Current.CancellationToken);

        var box = Assert.Single(result.Verdict.Boxes);
        Assert.Equal((0.0, 0.0, (double)displayedWidth, (double)displayedHeight), (box.X, box.Y, box.Width, box.Height));
        Assert.Equal((displayedWidth, displayedHeight), ImageOrientations.Read(jpeg).Upright(500, 333));
    }

    [Fact]
    public async Task Boxes_reaching_outside_the_image_are_clipped_to_it()
    {
        Stub(200, """{"Labels":[{"Name":"Cat","Confidence":90,"Instances":[{"BoundingBox":{"Width":0.5,"Height":0.3,"Left":-0.1,"Top":0.9},"Confidence":80},{"BoundingBox":{"Width":0.2,"Height":0.2,"Left":1.2,"Top":0.1},"Confidence":70}]}]}""");

        var result = await Detector().DetectAsync(Image(), TestContext.Current.CancellationToken);

        Assert.Equal(
            [(0.0, 432.0, 256.0, 48.0), (640.0, 48.0, 0.0, 96.0)],
            result.Verdict.Boxes.Select(b => (b.X, b.Y, b.Width, b.Height)));
    }

    [Fact]
    public async Task A_response_without_a_model_version_reports_it_as_unknown()
    {
        Stub(200, """{"Labels":[{"Name":"Cat","Confidence":90}]}""");
        var result = await Detector().DetectAsync(Image(), TestContext.Current.CancellationToken);
        Assert.Equal("unknown", result.Verdict.ModelVersion);
    }

    private static ImageContent Validated(byte[] bytes)
    {
        var accepted = Assert.IsType<ImageCheck.Accepted>(new ImageValidator(new ImageLimits()).Check(bytes));
        return new ImageContent(bytes, accepted.Format, accepted.Width, accepted.Height, "ab12/ab12");
    }

    private sealed class FixedCredentials(AwsSigningCredentials credentials) : IAwsCredentialSource
    {
        public ValueTask<AwsSigningCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
    }
}
