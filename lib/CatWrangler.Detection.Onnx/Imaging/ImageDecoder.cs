using System.Buffers;
using CatWrangler.Core.Images;
using SkiaSharp;

namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// Decodes JPEG/PNG bytes to RGB with <see cref="SKCodec"/> at the scale the caller needs: dimensions are checked before any
/// pixel buffer is allocated, every decode first reserves its memory from the process-wide <see cref="DecodeBudget"/>, an
/// incomplete decode is an error (SKBitmap.Decode would hand back a half-grey image silently), EXIF orientation is applied
/// and transparency is flattened onto a neutral grey.
/// </summary>
/// <remarks>
/// Large JPEGs are decoded at a DCT scale (libjpeg reads at most a row of blocks at a time, except progressive files, whose
/// coefficients it must hold whole). Skia offers no scaled or row-by-row PNG decode, so a large PNG is decoded in strips of
/// rows (one incremental decode per strip, each re-reading the file from the start) and box-averaged down as it goes.
/// </remarks>
public sealed class ImageDecoder(ImageLimits limits, DecodeBudget? budget = null)
{
    /// <summary>Mid grey: transparent areas should look like nothing in particular to the model.</summary>
    public const byte Background = 128;

    /// <summary>RGBA bytes of one PNG strip: small enough to keep a decode far below the limit, large enough for few re-reads.</summary>
    private const long PngStripBytes = 16L * 1024 * 1024;

    private readonly DecodeBudget budget = budget ?? new DecodeBudget(limits);

    /// <param name="bytes">The whole file.</param>
    /// <param name="minLongSide">
    /// When positive, the image may be decoded smaller as long as its long side stays at least this large (a JPEG at a DCT
    /// scale of 1/2, 1/4 or 1/8, a PNG averaged over n×n blocks); 0 decodes at full size.
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
        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            return DecodeJpeg(codec, bytes, minLongSide);
        }

        var block = minLongSide > 0 ? Math.Max(1, Math.Max(info.Width, info.Height) / minLongSide) : 1;
        return block == 1 ? DecodeWhole(codec, info.Size, 0, hasAlpha) : DecodePngInBlocks(codec, block, bytes[28] != 0, hasAlpha);
    }

    private DecodedImage DecodeJpeg(SKCodec codec, ReadOnlySpan<byte> bytes, int minLongSide)
    {
        var header = JpegHeader.Read(bytes);
        if (bytes.Length - header.ScanOffset < header.MinimumScanBytes)
        {
            // libjpeg would fill the missing blocks with grey and report success.
            throw new ImageRejectedException(ImageRejection.Truncated, "The image data is shorter than its header promises: it is truncated.");
        }

        var size = minLongSide > 0 ? ScaledSize(codec, minLongSide) : codec.Info.Size;
        return DecodeWhole(codec, size, header.CoefficientBytes, hasAlpha: false);
    }

    /// <summary>One <see cref="SKCodec.GetPixels(SKImageInfo, IntPtr)"/> call at <paramref name="size"/> (full size or a JPEG DCT scale).</summary>
    private DecodedImage DecodeWhole(SKCodec codec, SKSizeI size, long codecBytes, bool hasAlpha)
    {
        var info = codec.Info;
        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, hasAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        using var reservation = Reserve(decodeInfo.BytesSize64 + RgbBytes(size.Width, size.Height) + codecBytes, info);
        var rgba = ArrayPool<byte>.Shared.Rent(decodeInfo.BytesSize);
        try
        {
            ThrowUnlessDecoded(DecodePixels(codec, decodeInfo, rgba, options: null));
            return ToOrientedRgb(rgba, size.Width, size.Height, info.Width, info.Height, codec.EncodedOrigin, hasAlpha);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>
    /// Decodes strips of rows (a multiple of <paramref name="block"/> each) into one reused buffer and averages every
    /// block×block square of flattened pixels into one output pixel, so memory stays at one strip plus the small result.
    /// </summary>
    private DecodedImage DecodePngInBlocks(SKCodec codec, int block, bool interlaced, bool hasAlpha)
    {
        var info = codec.Info;
        int w = info.Width, h = info.Height;
        int outW = (w + block - 1) / block, outH = (h + block - 1) / block;

        // Skia de-interlaces a strip of an interlaced PNG through a buffer of raw rows (up to 8 bytes a pixel) as tall as the strip.
        var rowCost = (long)w * (interlaced ? 4 + 8 : 4);
        var stripRows = (int)Math.Min(h, Math.Max(block, PngStripBytes / rowCost / block * block));
        var stripInfo = new SKImageInfo(w, h, SKColorType.Rgba8888, hasAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var stripBytes = (long)stripInfo.RowBytes * stripRows;
        using var reservation = Reserve((rowCost * stripRows) + (2L * outW * outH * 4), info);
        var strip = ArrayPool<byte>.Shared.Rent((int)stripBytes);
        var small = ArrayPool<byte>.Shared.Rent(outW * outH * 4);
        var sums = new int[outW * 3];
        try
        {
            for (var top = 0; top < h; top += stripRows)
            {
                var rows = Math.Min(stripRows, h - top);
                var subset = new SKCodecOptions(new SKRectI(0, top, w, top + rows));
                ThrowUnlessDecoded(DecodePixels(codec, stripInfo, strip, subset));
                for (var y0 = 0; y0 < rows; y0 += block)
                {
                    var blockRows = Math.Min(block, rows - y0);
                    Array.Clear(sums);
                    for (var y = y0; y < y0 + blockRows; y++)
                    {
                        AddRow(strip.AsSpan(y * stripInfo.RowBytes, w * 4), block, hasAlpha, sums);
                    }

                    var target = small.AsSpan(((top + y0) / block) * outW * 4, outW * 4);
                    for (var bx = 0; bx < outW; bx++)
                    {
                        var count = blockRows * (Math.Min(w, (bx + 1) * block) - (bx * block));
                        for (var k = 0; k < 3; k++)
                        {
                            target[(bx * 4) + k] = (byte)((sums[(bx * 3) + k] + (count / 2)) / count);
                        }

                        target[(bx * 4) + 3] = 255;
                    }
                }
            }

            return ToOrientedRgb(small, outW, outH, w, h, codec.EncodedOrigin, hasAlpha: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(small);
            ArrayPool<byte>.Shared.Return(strip);
        }
    }

    /// <summary>Adds one RGBA row, flattened onto <see cref="Background"/>, to the per-block channel sums.</summary>
    private static void AddRow(ReadOnlySpan<byte> row, int block, bool hasAlpha, Span<int> sums)
    {
        for (var x = 0; x < row.Length / 4; x++)
        {
            var o = x / block * 3;
            var s = x * 4;
            if (hasAlpha)
            {
                int a = row[s + 3];
                var inv = (255 - a) * Background;
                sums[o] += ((row[s] * a) + inv + 127) / 255;
                sums[o + 1] += ((row[s + 1] * a) + inv + 127) / 255;
                sums[o + 2] += ((row[s + 2] * a) + inv + 127) / 255;
            }
            else
            {
                sums[o] += row[s];
                sums[o + 1] += row[s + 1];
                sums[o + 2] += row[s + 2];
            }
        }
    }

    /// <summary>Reserves a decode's memory, refusing an image that could never fit one decode's share.</summary>
    private IDisposable Reserve(long bytes, SKImageInfo info)
    {
        if (bytes > limits.MaxDecodeBytes)
        {
            throw new ImageRejectedException(
                ImageRejection.BadDimensions,
                $"Decoding this {info.Width}x{info.Height} image would need {bytes / (1024.0 * 1024):0} MiB; the limit is {limits.MaxDecodeBytes / (1024.0 * 1024):0} MiB.");
        }

        return budget.Reserve(bytes);
    }

    private static long RgbBytes(int width, int height) => (long)width * height * 3;

    private static void ThrowUnlessDecoded(SKCodecResult result)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput:
                throw new ImageRejectedException(ImageRejection.Truncated, "The image data is cut short or damaged.");
            default:
                throw new ImageRejectedException(ImageRejection.Corrupt, $"The image could not be decoded ({result}).");
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

    /// <summary>
    /// A whole-image decode, or with <paramref name="options"/> naming a subset of rows, an incremental decode of just those
    /// rows into <paramref name="target"/> (Skia's PNG codec supports row subsets only that way).
    /// </summary>
    private static unsafe SKCodecResult DecodePixels(SKCodec codec, SKImageInfo info, byte[] target, SKCodecOptions? options)
    {
        fixed (byte* p = target)
        {
            if (options is not { } subset)
            {
                return codec.GetPixels(info, (IntPtr)p);
            }

            var started = codec.StartIncrementalDecode(info, (IntPtr)p, info.RowBytes, subset);
            return started == SKCodecResult.Success ? codec.IncrementalDecode() : started;
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
        // SKEncodedOrigin numbers its values like the EXIF tag; anything else is upright.
        var orientation = Enum.IsDefined((ImageOrientation)origin) ? (ImageOrientation)origin : ImageOrientation.TopLeft;
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
