namespace CatWrangler.Core.Images;

/// <summary>
/// The EXIF orientation tag (TIFF tag 274, values 1–8): where the stored pixel rows and columns belong when the image
/// is shown upright. Named like the tag's values (and Skia's <c>SKEncodedOrigin</c>, which has the same numbers).
/// </summary>
public enum ImageOrientation
{
    TopLeft = 1,
    TopRight = 2,
    BottomRight = 3,
    BottomLeft = 4,
    LeftTop = 5,
    RightTop = 6,
    RightBottom = 7,
    LeftBottom = 8,
}
