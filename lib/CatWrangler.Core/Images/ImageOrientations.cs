namespace CatWrangler.Core.Images;

/// <summary>
/// The one orientation rule of every detector: boxes are reported in the upright (orientation-corrected) frame, whose
/// sides are the stored sides swapped for orientations 5–8.
/// </summary>
public static class ImageOrientations
{
    /// <summary>
    /// The orientation the decoder applies: the JPEG's EXIF tag as Skia reads it; PNG, no tag and an unreadable JPEG header
    /// are upright.
    /// </summary>
    public static ImageOrientation Read(ReadOnlySpan<byte> bytes)
        => JpegHeader.TryRead(bytes, out var header, out _) ? header.Orientation : ImageOrientation.TopLeft;

    /// <summary>True for 5–8: the stored width is the displayed height.</summary>
    public static bool SwapsSides(this ImageOrientation orientation) => orientation >= ImageOrientation.LeftTop;

    /// <summary>The displayed size of an image stored as <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static (int Width, int Height) Upright(this ImageOrientation orientation, int width, int height)
        => orientation.SwapsSides() ? (height, width) : (width, height);
}
