namespace CatWrangler.Adapters.Aws;

/// <summary>Section <c>CatWrangler:Aws:Rekognition</c>.</summary>
public sealed record RekognitionOptions
{
    public const string Section = "CatWrangler:Aws:Rekognition";

    /// <summary>Region; null uses the SDK's region chain (<c>AWS_REGION</c>, profile...).</summary>
    public string? Region { get; init; }

    /// <summary>Endpoint override; null uses <c>AWS_ENDPOINT_URL_REKOGNITION</c>, else the regional endpoint.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Rekognition's <c>MinConfidence</c> (0–100): labels below it are not returned at all.</summary>
    public double MinConfidence { get; init; } = 50;

    /// <summary>Cat confidence (0–1) at or above which the verdict is "cat" unless <c>CatWrangler:Detector:Threshold</c> is set.</summary>
    public double DefaultThreshold { get; init; } = 0.8;

    /// <summary>Send the S3 location instead of the bytes when the image is in the configured bucket (aws platform).</summary>
    public bool UseS3Object { get; init; } = true;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}
