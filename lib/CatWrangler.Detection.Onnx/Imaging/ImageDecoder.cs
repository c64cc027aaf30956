using System.Buffers;
using CatWrangler.Core.Images;
using SkiaSharp;

namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// Full decode of JPEG/PNG bytes to RGB with <see cref="SKCodec"/>: dimensions are checked before any pixel buffer is
/// allocated, an incomplete decode is an error (SKBitmap.Decode would hand back a half-grey image silently),
/// EXIF orientation is applied and transparency is flattened onto a neutral grey.
/// </summary>
public sealed class ImageDecoder(ImageLimits limits)
{
    /// <summary>Mid grey: transparent areas should look like nothing in particular to the model.</summary>
    public const byte Background = 128;

    /// <param name="bytes">The whole file.</param>
    /// <param name="minLongSide">
    /// When positive, a JPEG may be decoded at a DCT scale (1/2, 1/4, 1/8) as long as its long side stays at least this
    /// large; 0 decodes at full size.
    /// </param>
    /// <exception cref="ImageRejectedException">The bytes are not a decodable JPEG/PNG within the limits.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> bytes, int minLongSide = 0)
    {
        if (bytes.IsEmpty)
        {
            throw new ImageRejectedException(ImageRejection.Empty, "The file is empty.");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageRejectedException(ImageRejection.Corrupt, "Not a decodable image.");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png))
        {
            throw new ImageRejectedException(ImageRejection.UnsupportedFormat, $"{codec.EncodedFormat} images are not supported; send a JPEG or PNG.");
        }

        var info = codec.Info;
        CheckDimensions(info.Width, info.Height);

        var size = new SKSizeI(info.Width, info.Height);
        if (minLongSide > 0 && codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            size = ScaledSize(codec, minLongSide);
        }

        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, hasAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var rgba = ArrayPool<byte>.Shared.Rent(decodeInfo.BytesSize);
        try
        {
            var result = DecodePixels(codec, decodeInfo, rgba);
            switch (result)
            {
                case SKCodecResult.Success:
                    break;
                case SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput:
                    throw new ImageRejectedException(ImageRejection.Truncated, "The image data is cut short or damaged.");
                default:
                    throw new ImageRejectedException(ImageRejection.Corrupt, $"The image could not be decoded ({result}).");
            }

            return ToOrientedRgb(rgba, size.Width, size.Height, info.Width, info.Height, codec.EncodedOrigin, hasAlpha);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private void CheckDimensions(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageRejectedException(ImageRejection.BadDimensions, $"The image has no pixels ({width}x{height}).");
        }

        if ((long)width * height > limits.MaxPixels)
        {
            throw new ImageRejectedException(
                ImageRejection.BadDimensions,
                $"The image is {width}x{height} ({(long)width * height / 1_000_000.0:0.#} MP); the limit is {limits.MaxPixels / 1_000_000.0:0.#} MP.");
        }
    }

    private static unsafe SKCodecResult DecodePixels(SKCodec codec, SKImageInfo info, byte[] target)
    {
        fixed (byte* p = target)
        {
            return codec.GetPixels(info, (IntPtr)p);
        }
    }

    /// <summary>The smallest DCT-scaled size whose long side is still at least <paramref name="minLongSide"/>.</summary>
    private static SKSizeI ScaledSize(SKCodec codec, int minLongSide)
    {
        var best = codec.Info.Size;
        foreach (var scale in new[] { 0.5f, 0.25f, 0.125f })
        {
            var s = codec.GetScaledDimensions(scale);
            if (Math.Max(s.Width, s.Height) < minLongSide)
            {
                break;
            }

            best = s;
        }

        return best;
    }

    /// <summary>RGBA → RGB in one pass, writing each pixel straight to its EXIF-oriented position.</summary>
    private static DecodedImage ToOrientedRgb(byte[] rgba, int w, int h, int encodedW, int encodedH, SKEncodedOrigin origin, bool hasAlpha)
    {
        var orientation = ImageOrientations.FromSkia(origin);
        var (outW, outH) = orientation.Upright(w, h);
        var (uprightW, uprightH) = orientation.Upright(encodedW, encodedH);

        // Destination offset of source pixel (x, y) is start + x*stepX + y*stepY (in pixels).
        long start;
        long stepX;
        long stepY;
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: start = w - 1; stepX = -1; stepY = w; break;
            case SKEncodedOrigin.BottomRight: start = ((long)(h - 1) * w) + w - 1; stepX = -1; stepY = -w; break;
            case SKEncodedOrigin.BottomLeft: start = (long)(h - 1) * w; stepX = 1; stepY = -w; break;
            case SKEncodedOrigin.LeftTop: start = 0; stepX = h; stepY = 1; break;
            case SKEncodedOrigin.RightTop: start = h - 1; stepX = h; stepY = -1; break;
            case SKEncodedOrigin.RightBottom: start = ((long)(w - 1) * h) + h - 1; stepX = -h; stepY = -1; break;
            case SKEncodedOrigin.LeftBottom: start = (long)(w - 1) * h; stepX = -h; stepY = 1; break;
            default: start = 0; stepX = 1; stepY = w; break;
        }

        var rgb = ArrayPool<byte>.Shared.Rent(w * h * 3);
        for (var y = 0; y < h; y++)
        {
            var src = rgba.AsSpan(y * w * 4, w * 4);
            var d = start + (y * stepY);
            for (var x = 0; x < w; x++, d += stepX)
            {
                var s = x * 4;
                var o = (int)(d * 3);
                if (hasAlpha)
                {
                    int a = src[s + 3];
                    var inv = (255 - a) * Background;
                    rgb[o] = (byte)(((src[s] * a) + inv + 127) / 255);
                    rgb[o + 1] = (byte)(((src[s + 1] * a) + inv + 127) / 255);
                    rgb[o + 2] = (byte)(((src[s + 2] * a) + inv + 127) / 255);
                }
                else
                {
                    rgb[o] = src[s];
                    rgb[o + 1] = src[s + 1];
                    rgb[o + 2] = src[s + 2];
                }
            }
        }

        return new DecodedImage(rgb, outW, outH, uprightW, uprightH);
    }
}
