using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Amazon Rekognition DetectLabels as the cat detector, called over plain HTTP (JSON 1.1) with our own SigV4 signer
/// because no Rekognition SDK package is available here. Only the "Cat" label is requested. Transient errors are
/// retried inside the call (<see cref="RekognitionOptions.MaxAttempts"/>), configuration errors fail the scan at once.
/// </summary>
public sealed partial class RekognitionCatDetector : ICatDetector
{
    public const string Target = "RekognitionService.DetectLabels";
    public const string UnknownModelVersion = "unknown";

    /// <summary>DetectLabels' documented limits: image bytes inline, an S3 object, each side in pixels.</summary>
    public const long MaxBytes = 5L * 1024 * 1024;
    public const long MaxS3Bytes = 15L * 1024 * 1024;
    public const int MinSide = 80;
    public const int MaxSide = 10_000;

    private readonly HttpClient _http;
    private readonly IAwsCredentialSource _credentials;
    private readonly RekognitionEndpoint _endpoint;
    private readonly RekognitionOptions _options;
    private readonly AwsOptions? _awsOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public RekognitionCatDetector(
        HttpClient http,
        IAwsCredentialSource credentials,
        RekognitionEndpoint endpoint,
        RekognitionOptions options,
        DetectorOptions detectorOptions,
        AwsOptions? awsOptions,
        TimeProvider time,
        ILogger<RekognitionCatDetector> logger)
    {
        _http = http;
        _credentials = credentials;
        _endpoint = endpoint;
        _options = options;
        _awsOptions = awsOptions;
        _time = time;
        _logger = logger;
        Descriptor = new("rekognition-detectlabels", UnknownModelVersion, detectorOptions.Threshold ?? options.DefaultThreshold);
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.MaxAttempts - 1),
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder()
                    .Handle<RekognitionException>(e => e.Kind == RekognitionErrorKind.Transient)
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(e => e.InnerException is TimeoutException),
                OnRetry = args =>
                {
                    LogRetry(_logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    public DetectorDescriptor Descriptor { get; }

    public async Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var inS3 = _options.UseS3Object && image.StorageKey is not null && _awsOptions is { BucketName.Length: > 0 };
        Check(image, inS3);

        // Rekognition answers in the frame its EXIF orientation gives the JPEG (PNG carries none it applies).
        var orientation = image.Format == ImageFormat.Jpeg ? ImageOrientations.Read(image.Bytes.Span) : ImageOrientation.TopLeft;
        var (width, height) = orientation.Upright(image.Width, image.Height);

        var request = new DetectLabelsRequest
        {
            Image = inS3
                ? new RekognitionImage { S3Object = new S3Location(_awsOptions!.BucketName, image.StorageKey!) }
                : new RekognitionImage { Bytes = image.Bytes.ToArray() },
            MinConfidence = _options.MinConfidence,
            Features = ["GENERAL_LABELS"],
            Settings = new DetectLabelsSettings(new GeneralLabelsSettings(["Cat"])),
        };
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, RekognitionJson.Default.DetectLabelsRequest);

        string raw;
        try
        {
            raw = await _retry.ExecuteAsync(static (state, ct) => state.Self.SendAsync(state.Payload, ct), (Self: this, Payload: payload), cancellationToken);
        }
        catch (RekognitionException e) when (e.Kind != RekognitionErrorKind.Transient)
        {
            throw Permanent(e);
        }

        var parsed = JsonSerializer.Deserialize(raw, RekognitionJson.Default.DetectLabelsResponse)
            ?? throw new InvalidDataException("Rekognition answered with JSON null.");
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return ToResult(parsed, width, height, raw, elapsed);
    }

    /// <summary>One signed attempt (signed again on every retry, as the SDKs do).</summary>
    private async ValueTask<string> SendAsync(byte[] payload, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint.Uri) { Content = new ByteArrayContent(payload) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", Target);

        // Signed like the SDKs sign it: the body's length and hash are covered too.
        message.Content.Headers.ContentLength = payload.Length;
        message.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", Convert.ToHexStringLower(SHA256.HashData(payload)));
        var signingCredentials = await _credentials.GetAsync(cancellationToken);
        SigV4Signer.Sign(message, payload, signingCredentials, _endpoint.Region, "rekognition", _time.GetUtcNow());

        using var response = await _http.SendAsync(message, cancellationToken);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return raw;
        }

        var header = response.Headers.TryGetValues(RekognitionErrors.ErrorTypeHeader, out var values) ? values.FirstOrDefault() : null;
        var error = RekognitionErrors.Read(response.StatusCode, header, raw);
        RekognitionMetrics.CountError(error);
        throw error;
    }

    private Exception Permanent(RekognitionException error)
    {
        if (error.Kind == RekognitionErrorKind.Rejection)
        {
            var reason = error.ErrorType == "ImageTooLargeException" ? ImageRejection.TooLarge : ImageRejection.UnsupportedFormat;
            return new ImageRejectedException(reason, $"Rekognition refused the image ({error.ErrorType}): {error.ServiceMessage}");
        }

        LogConfigurationError(_logger, error, error.ErrorType, _endpoint.Uri, _endpoint.Region);
        return new DetectorConfigurationException(
            $"Rekognition refused the call ({error.ErrorType}, HTTP {(int)error.StatusCode}) at {_endpoint.Uri} in {_endpoint.Region}: {error.ServiceMessage} {RekognitionErrors.Advice(error.ErrorType)}",
            error);
    }

    private DetectionResult ToResult(DetectLabelsResponse response, int width, int height, string raw, double elapsedMs)
    {
        var labels = response.Labels ?? [];
        var cat = labels.FirstOrDefault(l => string.Equals(l.Name, "Cat", StringComparison.OrdinalIgnoreCase));
        var confidence = (cat?.Confidence ?? 0) / 100.0;
        var boxes = (cat?.Instances ?? [])
            .Where(i => i.BoundingBox is not null)
            .Select(i => ToPixels(i.BoundingBox!, i.Confidence / 100.0, width, height))
            .ToList();
        var top = labels.Select(l => new LabelScore(l.Name ?? "", l.Confidence / 100.0)).OrderByDescending(l => l.Score).ToList();

        var verdict = new Verdict(confidence >= Descriptor.Threshold, confidence, boxes, top, Descriptor.Id, response.LabelModelVersion ?? UnknownModelVersion, Descriptor.Threshold);
        var diagnostics = new DetectionDiagnostics
        {
            TimingsMs = new Dictionary<string, double> { ["rekognition"] = elapsedMs },
            RawTopScores = top,
            RawResponse = raw,
        };
        return new DetectionResult(verdict, diagnostics);
    }

    /// <summary>
    /// Rekognition's box is ratios of the upright image and may reach outside it (Left/Top below 0, right edge past 1):
    /// clipped to the image, then in pixels rounded like the ONNX path's.
    /// </summary>
    public static BoundingBox ToPixels(RekognitionBox box, double score, int width, int height)
    {
        var left = Math.Clamp(box.Left, 0, 1);
        var top = Math.Clamp(box.Top, 0, 1);
        var right = Math.Clamp(box.Left + box.Width, 0, 1);
        var bottom = Math.Clamp(box.Top + box.Height, 0, 1);
        return new BoundingBox(
            Math.Round(left * width, 1),
            Math.Round(top * height, 1),
            Math.Round((right - left) * width, 1),
            Math.Round((bottom - top) * height, 1),
            Math.Round(score, 4));
    }

    /// <summary>Rekognition's documented input limits, checked before paying for a call.</summary>
    private static void Check(ImageContent image, bool inS3)
    {
        var limit = inS3 ? MaxS3Bytes : MaxBytes;
        if (image.Bytes.Length > limit)
        {
            throw new ImageRejectedException(ImageRejection.TooLarge, $"Rekognition accepts at most {limit / (1024 * 1024)} MB {(inS3 ? "from S3" : "inline")}; this image has {image.Bytes.Length} bytes.");
        }

        if (image.Width < MinSide || image.Height < MinSide)
        {
            throw new ImageRejectedException(ImageRejection.BadDimensions, $"Rekognition needs both sides at least {MinSide} px; this image is {image.Width}x{image.Height}.");
        }

        if (image.Width > MaxSide || image.Height > MaxSide)
        {
            throw new ImageRejectedException(ImageRejection.BadDimensions, $"Rekognition accepts sides of at most {MaxSide:N0} px; this image is {image.Width}x{image.Height}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rekognition attempt failed; attempt {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rekognition configuration error {ErrorType} at {Endpoint} ({Region}): scans fail until an operator fixes it")]
    private static partial void LogConfigurationError(ILogger logger, Exception exception, string errorType, Uri endpoint, string region);
}
