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
