using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace CatWrangler.Core.Images;

/// <summary>
/// The one image validator: JPEG or PNG by content, structure intact, dimensions within limits.
/// Cheap enough for the accept path: it walks the container structure (PNG chunk CRCs, JPEG markers up to the
/// end-of-image marker) and accepts only headers the detector's decoder (Skia) reads, but decodes no pixels. The detector's
/// full decode catches the rest.
/// </summary>
public sealed class ImageValidator(ImageLimits limits)
{
    /// <summary>libpng's default largest width or height (PNG_USER_WIDTH_MAX / PNG_USER_HEIGHT_MAX).</summary>
    public const int PngMaxSide = 1_000_000;

    public ImageLimits Limits { get; } = limits;

    /// <param name="bytes">The whole file.</param>
    /// <param name="declaredContentType">The caller's Content-Type (or a Slack mimetype); null when unknown.</param>
    public ImageCheck Check(ReadOnlySpan<byte> bytes, string? declaredContentType = null)
    {
        if (bytes.IsEmpty)
        {
            return Reject(ImageRejection.Empty, "The file is empty.");
        }

        if (bytes.Length > Limits.MaxBytes)
        {
            return Reject(ImageRejection.TooLarge, $"The file has {bytes.Length:N0} bytes; the limit is {Limits.MaxBytes:N0}.");
        }

        if (ImageSniffer.Detect(bytes) is not { } actual)
        {
            return Reject(ImageRejection.UnsupportedFormat, $"Only JPEG and PNG images are supported; this is {ImageSniffer.Describe(bytes)}.");
        }

        if (Contradicts(declaredContentType, actual))
        {
            return Reject(
                ImageRejection.ContentTypeMismatch,
                $"The content is {actual.ContentType()} but was declared as {declaredContentType}.");
        }

        var structure = actual == ImageFormat.Png ? CheckPng(bytes) : CheckJpeg(bytes);
        if (structure is not ImageCheck.Accepted header)
        {
            return structure;
        }

        if (header.Width <= 0 || header.Height <= 0)
        {
            return Reject(ImageRejection.BadDimensions, $"The image is {header.Width}×{header.Height} pixels; it has no pixels to look at.");
        }

        if ((long)header.Width * header.Height > Limits.MaxPixels)
        {
            return Reject(
                ImageRejection.BadDimensions,
                $"The image is {header.Width}×{header.Height} pixels; the limit is {Limits.MaxPixels:N0} pixels.");
        }

        return header;
    }

    /// <summary>True when a declared media type names something other than the actual format (absent or octet-stream says nothing).</summary>
    private static bool Contradicts(string? contentType, ImageFormat actual)
    {
        var mediaType = (contentType ?? "").Split(';', 2)[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "" or "application/octet-stream" or "binary/octet-stream" => false,
            "image/jpeg" or "image/jpg" or "image/pjpeg" => actual != ImageFormat.Jpeg,
            "image/png" or "image/x-png" => actual != ImageFormat.Png,
            _ => true,
        };
    }

    /// <summary>
    /// Walks every chunk (CRC, order) and checks what libpng (inside Skia) checks before the image data: IHDR fields, chunk
    /// names, no unknown critical chunk and a palette before the data of a palette image.
    /// </summary>
    private static ImageCheck CheckPng(ReadOnlySpan<byte> bytes)
    {
        var offset = ImageSniffer.PngSignature.Length;
        int width = 0, height = 0;
        bool sawHeader = false, sawData = false, sawPalette = false, needsPalette = false;
        while (true)
        {
            if (bytes.Length - offset < 12)
            {
                return Reject(ImageRejection.Truncated, "The PNG file ends before its IEND chunk: it is truncated.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
            if (length > int.MaxValue || bytes.Length - offset - 12 < length)
            {
                return Reject(ImageRejection.Truncated, "The PNG file ends inside a chunk: it is truncated.");
            }

            var typeAndData = bytes.Slice(offset + 4, 4 + (int)length);
            var typeBytes = typeAndData[..4];
            if (!IsChunkName(typeBytes))
            {
                return Reject(ImageRejection.Corrupt, "The PNG file has a chunk with an invalid name: the file is corrupt.");
            }

            var type = Encoding.ASCII.GetString(typeBytes);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(bytes[(offset + 8 + (int)length)..]);
            if (Crc32.HashToUInt32(typeAndData) != storedCrc)
            {
                return Reject(ImageRejection.Corrupt, $"The PNG chunk '{type}' fails its CRC check: the file is corrupt.");
            }

            var data = typeAndData[4..];
            if (!sawHeader)
            {
                if (type != "IHDR" || length != 13)
                {
                    return Reject(ImageRejection.Corrupt, "The PNG file does not start with a valid IHDR chunk.");
                }

                if (PngHeaderProblem(data) is { } problem)
                {
                    return Reject(ImageRejection.Corrupt, problem);
                }

                var (storedWidth, storedHeight) = (BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                if (storedWidth > PngMaxSide || storedHeight > PngMaxSide)
                {
                    return Reject(
                        ImageRejection.BadDimensions,
                        $"The image is {storedWidth}×{storedHeight} pixels; a PNG side can be at most {PngMaxSide:N0} pixels.");
                }

                (width, height) = ((int)storedWidth, (int)storedHeight);
                needsPalette = data[9] == 3;
                sawHeader = true;
            }
            else if (!sawData)
            {
                switch (type)
                {
                    case "IHDR":
                        return Reject(ImageRejection.Corrupt, "The PNG file has two IHDR chunks.");
                    case "PLTE" when sawPalette || length == 0 || length > 768 || length % 3 != 0:
                        return Reject(ImageRejection.Corrupt, "The PNG palette (PLTE) is malformed or repeated.");
                    case "IDAT" when needsPalette && !sawPalette:
                        return Reject(ImageRejection.Corrupt, "The palette PNG has no palette (PLTE) before its image data.");
                    case "IEND" or "IDAT" or "PLTE":
                        break;
                    case var _ when char.IsAsciiLetterUpper(type[0]):
                        return Reject(ImageRejection.Corrupt, $"The PNG file has an unknown critical chunk '{type}'.");
                }

                sawPalette |= type == "PLTE";
            }

            sawData |= type == "IDAT";
            offset += 12 + (int)length;
            if (type == "IEND")
            {
                return sawData
                    ? new ImageCheck.Accepted(ImageFormat.Png, width, height)
                    : Reject(ImageRejection.Corrupt, "The PNG file has no image data (IDAT).");
            }
        }

        // Four letters, the third upper-case (its lower-case bit is reserved and decoders refuse it).
        static bool IsChunkName(ReadOnlySpan<byte> name)
        {
            foreach (var b in name)
            {
                if (!char.IsAsciiLetter((char)b))
                {
                    return false;
                }
            }

            return char.IsAsciiLetterUpper((char)name[2]);
        }
    }

    /// <summary>IHDR: width, height, bit depth, colour type, compression, filter and interlace method (PNG spec 11.2.2).</summary>
    private static string? PngHeaderProblem(ReadOnlySpan<byte> ihdr)
    {
        var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        byte depth = ihdr[8], colourType = ihdr[9];
        var depthAllowed = colourType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!depthAllowed)
        {
            return $"The PNG header names bit depth {depth} with colour type {colourType}, which the PNG specification does not allow.";
        }

        return ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1
            ? "The PNG header names an unknown compression, filter or interlace method."
            : null;
    }

    private ImageCheck CheckJpeg(ReadOnlySpan<byte> bytes)
    {
        if (!JpegHeader.TryRead(bytes, out var header, out var rejection))
        {
            return rejection;
        }

        // A header can promise any size; data too short to hold one code per block would decode as grey filler.
        if (bytes.Length - header.ScanOffset < header.MinimumScanBytes)
        {
            return Reject(
                ImageRejection.Truncated,
                $"The JPEG header promises {header.Width}×{header.Height} pixels but the file is too short to hold them: it is truncated.");
        }

        if (header.CoefficientBytes > Limits.MaxDecodeBytes)
        {
            return Reject(
                ImageRejection.BadDimensions,
                $"The progressive JPEG is {header.Width}×{header.Height} pixels and would need {header.CoefficientBytes / (1024.0 * 1024):0} MiB to decode; "
                + $"the limit is {Limits.MaxDecodeBytes / (1024.0 * 1024):0} MiB. Send a baseline JPEG or a smaller image.");
        }

        // In entropy-coded data every 0xFF byte is stuffed or a marker, so the first FF D9 is the real end of image.
        var scan = bytes[header.ScanOffset..];
        for (var i = scan.IndexOf((byte)0xFF); i >= 0 && i < scan.Length - 1; i = NextFf(scan, i + 1))
        {
            if (scan[i + 1] == 0xD9)
            {
                return new ImageCheck.Accepted(ImageFormat.Jpeg, header.Width, header.Height);
            }
        }

        return Reject(ImageRejection.Truncated, "The JPEG file ends before its end-of-image marker: it is truncated.");

        static int NextFf(ReadOnlySpan<byte> data, int from)
        {
            var next = data[from..].IndexOf((byte)0xFF);
            return next < 0 ? -1 : from + next;
        }
    }

    private static ImageCheck.Rejected Reject(ImageRejection reason, string message) => new(reason, message);
}
