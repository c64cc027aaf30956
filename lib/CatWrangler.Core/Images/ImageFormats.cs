namespace CatWrangler.Core.Images;

public static class ImageFormats
{
    public static string ContentType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The machine-readable code of a rejection (CLI output, scan errors, problem bodies).</summary>
    public static string Code(this ImageRejection reason) => reason switch
    {
        ImageRejection.Empty => "empty",
        ImageRejection.UnsupportedFormat => "unsupported_format",
        ImageRejection.ContentTypeMismatch => "content_type_mismatch",
        ImageRejection.TooLarge => "too_large",
        ImageRejection.BadDimensions => "bad_dimensions",
        ImageRejection.Truncated => "truncated",
        ImageRejection.Corrupt => "corrupt",
        _ => "rejected",
    };
}
