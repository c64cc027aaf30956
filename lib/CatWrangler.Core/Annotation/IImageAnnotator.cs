using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Annotation;

/// <summary>Port: draws a verdict's cat boxes and scores onto the (orientation-corrected) image. Hosts with an imaging library provide it.</summary>
public interface IImageAnnotator
{
    /// <returns>A PNG.</returns>
    /// <exception cref="Images.ImageRejectedException">The bytes cannot be decoded within the limits.</exception>
    byte[] Render(ReadOnlySpan<byte> image, IReadOnlyList<BoundingBox> boxes);
}
