using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Amazon Rekognition DetectLabels as the cat detector, called over plain HTTP (JSON 1.1) with our own SigV4 signer
/// because no Rekognition SDK package is available here. Only the "Cat" label is requested.
/// </summary>
public sealed class RekognitionCatDetector(
    HttpClient http,
    IAwsCredentialSource credentials,
    RekognitionEndpoint endpoint,
    RekognitionOptions options,
    DetectorOptions detectorOptions,
    AwsOptions? awsOptions,
    TimeProvider time) : ICatDetector
{
    public const string Target = "RekognitionService.DetectLabels";
    public const long MaxBytes = 5L * 1024 * 1024;
    public const long MaxS3Bytes = 15L * 1024 * 1024;
    public const int MinSide = 80;

    public DetectorDescriptor Descriptor { get; } = new("rekognition-detectlabels", "GENERAL_LABELS", detectorOptions.Threshold ?? options.DefaultThreshold);

    public async Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var inS3 = options.UseS3Object && image.StorageKey is not null && awsOptions is { BucketName.Length: > 0 };
        Check(image, inS3);

        var request = new DetectLabelsRequest
        {
            Image = inS3
                ? new RekognitionImage { S3Object = new S3Location(awsOptions!.BucketName, image.StorageKey!) }
                : new RekognitionImage { Bytes = image.Bytes.ToArray() },
            MinConfidence = options.MinConfidence,
            Features = ["GENERAL_LABELS"],
            Settings = new DetectLabelsSettings(new GeneralLabelsSettings(["Cat"])),
        };
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, RekognitionJson.Default.DetectLabelsRequest);

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint.Uri) { Content = new ByteArrayContent(payload) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", Target);
        var signingCredentials = await credentials.GetAsync(cancellationToken);
        SigV4Signer.Sign(message, payload, signingCredentials, endpoint.Region, "rekognition", time.GetUtcNow());

        using var response = await http.SendAsync(message, cancellationToken);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, raw);
        }

        var parsed = JsonSerializer.Deserialize(raw, RekognitionJson.Default.DetectLabelsResponse)
            ?? throw new RekognitionException(response.StatusCode, "EmptyResponse", "Rekognition answered with JSON null.");
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return ToResult(parsed, image, raw, elapsed);
    }

    private DetectionResult ToResult(DetectLabelsResponse response, ImageContent image, string raw, double elapsedMs)
    {
        var labels = response.Labels ?? [];
        var cat = labels.FirstOrDefault(l => string.Equals(l.Name, "Cat", StringComparison.OrdinalIgnoreCase));
        var confidence = (cat?.Confidence ?? 0) / 100.0;
        var boxes = (cat?.Instances ?? [])
            .Where(i => i.BoundingBox is not null)
            .Select(i => new BoundingBox(
                i.BoundingBox!.Left * image.Width,
                i.BoundingBox.Top * image.Height,
                i.BoundingBox.Width * image.Width,
                i.BoundingBox.Height * image.Height,
                i.Confidence / 100.0))
            .ToList();
        var top = labels.Select(l => new LabelScore(l.Name ?? "", l.Confidence / 100.0)).OrderByDescending(l => l.Score).ToList();

        var verdict = new Verdict(confidence >= Descriptor.Threshold, confidence, boxes, top, Descriptor.Id, response.LabelModelVersion ?? Descriptor.ModelVersion, Descriptor.Threshold);
        var diagnostics = new DetectionDiagnostics
        {
            TimingsMs = new Dictionary<string, double> { ["rekognition"] = elapsedMs },
            RawTopScores = top,
            RawResponse = raw,
        };
        return new DetectionResult(verdict, diagnostics);
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
    }

    private static Exception Failure(HttpStatusCode status, string body)
    {
        var (type, message) = ("Unknown", body);
        try
        {
            var error = JsonSerializer.Deserialize(body, RekognitionJson.Default.RekognitionError);
            type = error?.Type?.Split('#')[^1] ?? type;
            message = error?.Message ?? error?.MessageUpper ?? message;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): keep the body as the message.
        }

        return type switch
        {
            "InvalidImageFormatException" => new ImageRejectedException(ImageRejection.UnsupportedFormat, "Rekognition cannot read this image: " + message),
            "ImageTooLargeException" => new ImageRejectedException(ImageRejection.TooLarge, "Rekognition refused the image as too large: " + message),
            _ => new RekognitionException(status, type, message),
        };
    }
}

/// <summary>A Rekognition error other than a bad image (throttling, access, service faults): transient for the pipeline.</summary>
public sealed class RekognitionException(HttpStatusCode status, string errorType, string message)
    : Exception($"Rekognition {errorType} ({(int)status}): {message}")
{
    public HttpStatusCode StatusCode { get; } = status;
    public string ErrorType { get; } = errorType;
}

/// <summary>Where DetectLabels is sent and the region its signature is scoped to.</summary>
public sealed record RekognitionEndpoint(Uri Uri, string Region);

internal sealed record DetectLabelsRequest
{
    public required RekognitionImage Image { get; init; }
    public double MinConfidence { get; init; }
    public IReadOnlyList<string>? Features { get; init; }
    public DetectLabelsSettings? Settings { get; init; }
}

internal sealed record RekognitionImage
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Bytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public S3Location? S3Object { get; init; }
}

internal sealed record S3Location(string Bucket, string Name);

internal sealed record DetectLabelsSettings(GeneralLabelsSettings GeneralLabels);

internal sealed record GeneralLabelsSettings(IReadOnlyList<string> LabelInclusionFilters);

internal sealed record DetectLabelsResponse(IReadOnlyList<RekognitionLabel>? Labels, string? LabelModelVersion);

internal sealed record RekognitionLabel(string? Name, double Confidence, IReadOnlyList<RekognitionInstance>? Instances);

internal sealed record RekognitionInstance(RekognitionBox? BoundingBox, double Confidence);

internal sealed record RekognitionBox(double Width, double Height, double Left, double Top);

internal sealed record RekognitionError(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("Message")] string? MessageUpper);

/// <summary>Rekognition's JSON uses PascalCase names, the default of System.Text.Json.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(DetectLabelsRequest))]
[JsonSerializable(typeof(DetectLabelsResponse))]
[JsonSerializable(typeof(RekognitionError))]
internal sealed partial class RekognitionJson : JsonSerializerContext;
