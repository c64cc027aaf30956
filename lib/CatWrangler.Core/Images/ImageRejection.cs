namespace CatWrangler.Core.Images;

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
