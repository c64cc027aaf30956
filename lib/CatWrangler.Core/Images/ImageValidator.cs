namespace CatWrangler.Core.Images;

/// <summary>The outcome of checking bytes that claim to be an image.</summary>
public abstract record ImageCheck
{
    private ImageCheck() { }

    public sealed record Accepted(ImageFormat Format, int Width, int Height) : ImageCheck;

    public sealed record Rejected(ImageRejection Reason, string Message) : ImageCheck;
}

/// <summary>
/// The one image validator: JPEG or PNG by content, structure intact, dimensions within limits.
/// Cheap enough for the accept path (no pixel decode); the detector's full decode catches the rest.
/// </summary>
public sealed class ImageValidator(ImageLimits limits)
{
    public ImageLimits Limits { get; } = limits;

    /// <param name="bytes">The whole file.</param>
    /// <param name="declaredContentType">The caller's Content-Type (or a Slack mimetype); null when unknown.</param>
    public ImageCheck Check(ReadOnlySpan<byte> bytes, string? declaredContentType = null)
        => throw new NotImplementedException("filled in by the skeleton author next");
}
