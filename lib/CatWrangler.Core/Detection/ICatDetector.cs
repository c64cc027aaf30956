using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Detection;

/// <summary>Port: answers "is there a cat?" for one validated image. Implementations must be thread-safe.</summary>
public interface ICatDetector
{
    DetectorDescriptor Descriptor { get; }

    /// <summary>
    /// Classifies the image. Throws <see cref="ImageRejectedException"/> when the bytes cannot be decoded
    /// (a permanent failure) and any other exception for transient faults.
    /// </summary>
    Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken);
}

public sealed record DetectorDescriptor(string Id, string ModelVersion, double Threshold);

/// <summary>Input of a detector: the stored bytes plus what validation learnt about them.</summary>
public sealed record ImageContent(ReadOnlyMemory<byte> Bytes, ImageFormat Format, int Width, int Height, string? StorageKey = null);

/// <summary>The public verdict and the power-user diagnostics that produced it.</summary>
public sealed record DetectionResult(Verdict Verdict, DetectionDiagnostics Diagnostics);

public sealed record DetectionDiagnostics
{
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();
    public string? ModelInput { get; init; }
    public IReadOnlyList<LabelScore> RawTopScores { get; init; } = [];
    public string? RawResponse { get; init; }
}
