using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Adapters.Aws;

/// <summary>Section <c>CatWrangler:Aws:Rekognition</c>.</summary>
public sealed record RekognitionOptions
{
    public const string Section = "CatWrangler:Aws:Rekognition";

    /// <summary>Region; null uses <c>AWS_REGION</c>, then the SDK's region chain (profile...).</summary>
    public string? Region { get; init; }

    /// <summary>Endpoint override; null uses <c>AWS_ENDPOINT_URL_REKOGNITION</c>, then <c>AWS_ENDPOINT_URL</c>, else the SDKs' endpoint rules.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Use <c>rekognition-fips.{region}…</c>; null reads <c>AWS_USE_FIPS_ENDPOINT</c>.</summary>
    public bool? UseFips { get; init; }

    /// <summary>Use the partition's dual-stack (IPv6) domain; null reads <c>AWS_USE_DUALSTACK_ENDPOINT</c>.</summary>
    public bool? UseDualStack { get; init; }

    /// <summary>Rekognition's <c>MinConfidence</c> (0–100): labels below it are not returned at all.</summary>
    [Range(0.0, 100.0)]
    public double MinConfidence { get; init; } = 50;

    /// <summary>Cat confidence (0–1) at or above which the verdict is "cat" unless <c>CatWrangler:Detector:Threshold</c> is set.</summary>
    [Range(0.0, 1.0)]
    public double DefaultThreshold { get; init; } = 0.8;

    /// <summary>Send the S3 location instead of the bytes when the image is in the configured bucket (aws platform).</summary>
    public bool UseS3Object { get; init; } = true;

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per DetectLabels call for throttling, 5xx and network errors (the SDKs' standard mode makes 3); then the queue retries.</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Base of the exponential, jittered backoff between attempts.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest single backoff.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(2);
}
