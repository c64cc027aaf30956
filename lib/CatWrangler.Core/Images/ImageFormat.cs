using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Core.Images;

public enum ImageFormat { Jpeg, Png }

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

/// <summary>Why an image was refused. Each maps to one HTTP status, Slack reply and CLI message.</summary>
public enum ImageRejection
{
    /// <summary>No bytes at all.</summary>
    Empty,
    /// <summary>Not JPEG or PNG by content (GIF, WebP, BMP, SVG, HTML, text...).</summary>
    UnsupportedFormat,
    /// <summary>The declared content type says one format, the bytes another.</summary>
    ContentTypeMismatch,
    /// <summary>More bytes than the configured maximum.</summary>
    TooLarge,
    /// <summary>Zero-sized, or more pixels than the configured maximum (decompression-bomb guard).</summary>
    BadDimensions,
    /// <summary>Cut short before the end of the image data.</summary>
    Truncated,
    /// <summary>Structurally broken (bad CRC, bad markers, undecodable).</summary>
    Corrupt,
}

/// <summary>Thrown where an image turns out to be unusable after acceptance (e.g. during full decode).</summary>
public sealed class ImageRejectedException(ImageRejection reason, string message) : Exception(message)
{
    public ImageRejection Reason { get; } = reason;
}

/// <summary>Configurable limits (configuration section <c>CatWrangler:Limits</c>).</summary>
public sealed record ImageLimits
{
    public const string Section = "CatWrangler:Limits";
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxBytes { get; init; } = 20L * 1024 * 1024;
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>
    /// Most memory one decode may need (pixel buffers plus a progressive JPEG's coefficients). Large images are decoded at the
    /// scale the model needs, so this only refuses progressive JPEGs above about 22 MP (4:2:0) and full-size decodes of huge images.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxDecodeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Memory all decodes in the process may hold at once; a decode that does not fit waits for others to finish.</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long DecodeBudgetBytes { get; init; } = 128L * 1024 * 1024;
}
