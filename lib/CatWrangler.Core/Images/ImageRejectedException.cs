namespace CatWrangler.Core.Images;

/// <summary>Thrown where an image turns out to be unusable after acceptance (e.g. during full decode).</summary>
public sealed class ImageRejectedException(ImageRejection reason, string message) : Exception(message)
{
    public ImageRejection Reason { get; } = reason;
}
