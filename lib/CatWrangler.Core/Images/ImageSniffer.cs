using System.Text;

namespace CatWrangler.Core.Images;

/// <summary>
/// The one place that tells a file's kind from its first bytes: JPEG/PNG by signature, and a name for anything else
/// (an HTML sign-in page above all, which Slack serves with a 200 when the bot's token cannot read a file).
/// </summary>
public static class ImageSniffer
{
    /// <summary>How much of the head the text checks look at.</summary>
    private const int HeadLength = 512;

    internal static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegStartOfImage => [0xFF, 0xD8, 0xFF];

    /// <summary>The image format by signature; null when the bytes are neither JPEG nor PNG.</summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> bytes)
        => bytes.StartsWith(PngSignature) ? ImageFormat.Png
            : bytes.StartsWith(JpegStartOfImage) ? ImageFormat.Jpeg
            : null;

    /// <summary>Whether the bytes start (after a BOM or whitespace) like an HTML document.</summary>
    public static bool IsHtml(ReadOnlySpan<byte> bytes)
    {
        var text = HeadText(bytes);
        return text.StartsWith("<!doctype html", StringComparison.Ordinal) || text.StartsWith("<html", StringComparison.Ordinal);
    }

    /// <summary>What the bytes are, for a refusal message ("a GIF image", "an HTML page", ...).</summary>
    public static string Describe(ReadOnlySpan<byte> bytes)
    {
        static bool Starts(ReadOnlySpan<byte> b, string ascii) => b.StartsWith(Encoding.ASCII.GetBytes(ascii));

        var head = bytes[..Math.Min(bytes.Length, HeadLength)];
        var text = HeadText(head);
        return head switch
        {
            _ when Starts(head, "GIF8") => "a GIF image",
            _ when head.Length >= 12 && Starts(head, "RIFF") && Starts(head[8..], "WEBP") => "a WebP image",
            _ when Starts(head, "BM") => "a BMP image",
            _ when Starts(head, "%PDF") => "a PDF document",
            _ when head.Length >= 12 && Starts(head[4..], "ftyp") => "a HEIC/MP4 file",
            _ when Starts(head, "II*\0") || Starts(head, "MM\0*") => "a TIFF image",
            _ when IsHtml(head) => "an HTML page",
            _ when text.Contains("<svg", StringComparison.Ordinal) => "an SVG image",
            _ when text.StartsWith("<?xml", StringComparison.Ordinal) => "an XML document",
            _ => "not an image format this service reads",
        };
    }

    private static string HeadText(ReadOnlySpan<byte> bytes)
        => Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, HeadLength)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
}
