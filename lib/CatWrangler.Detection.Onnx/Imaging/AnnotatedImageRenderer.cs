using System.Globalization;
using CatWrangler.Core.Annotation;
using CatWrangler.Core.Scans;
using SkiaSharp;

namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// The one renderer of annotated pictures (Slack replies, <c>GET /v1/scans/{id}/annotated</c>, <c>catscan scan --annotate</c>):
/// the image decoded upright through the shared <see cref="ImageDecoder"/> (same limits and memory budget as detection),
/// scaled so its long side is at most <see cref="MaxLongSide"/>, each cat box outlined with its score above it, PNG out.
/// </summary>
public sealed class AnnotatedImageRenderer(ImageDecoder decoder, int maxLongSide = AnnotatedImageRenderer.MaxLongSide) : IImageAnnotator
{
    /// <summary>Long side of the picture at most: plenty for a chat thread, and a PNG of a photo stays a few MB at worst.</summary>
    public const int MaxLongSide = 1600;

    /// <summary>Box and label colour: a saturated yellow reads on most photos.</summary>
    public static readonly SKColor BoxColor = new(0xFF, 0xD6, 0x0A);

    /// <summary>Thin dark edge around boxes and labels, so they also read on yellow or white fur.</summary>
    public static readonly SKColor EdgeColor = new(0x1C, 0x1C, 0x1E);

    public byte[] Render(ReadOnlySpan<byte> image, IReadOnlyList<BoundingBox> boxes)
    {
        using var decoded = decoder.Decode(image, maxLongSide);
        var scale = Math.Min(1.0, (double)maxLongSide / Math.Max(decoded.Width, decoded.Height));
        var width = Math.Max(1, (int)Math.Round(decoded.Width * scale));
        var height = Math.Max(1, (int)Math.Round(decoded.Height * scale));

        using var source = ToSkImage(decoded);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque))
            ?? throw new InvalidOperationException($"Could not allocate a {width}x{height} surface.");
        var canvas = surface.Canvas;
        canvas.DrawImage(source, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));

        // Boxes are in pixels of the upright original; the decoder may have scaled it already.
        var toPicture = (float)(width / (double)decoded.EncodedWidth);
        var stroke = Math.Max(2f, Math.Max(width, height) / 320f);
        var glyphPixel = Math.Max(2, (int)Math.Round(Math.Max(width, height) / 400.0));
        foreach (var box in boxes)
        {
            var rect = new SKRect(
                (float)box.X * toPicture,
                (float)box.Y * toPicture,
                (float)(box.X + box.Width) * toPicture,
                (float)(box.Y + box.Height) * toPicture);
            DrawBox(canvas, rect, stroke);
            DrawLabel(canvas, rect, "cat " + box.Score.ToString("0.00", CultureInfo.InvariantCulture), glyphPixel, width, height);
        }

        using var picture = surface.Snapshot();
        using var png = picture.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static SKImage ToSkImage(DecodedImage decoded)
    {
        var rgb = decoded.Rgb;
        var rgba = new byte[decoded.Width * decoded.Height * 4];
        for (int s = 0, d = 0; s < rgb.Length; s += 3, d += 4)
        {
            rgba[d] = rgb[s];
            rgba[d + 1] = rgb[s + 1];
            rgba[d + 2] = rgb[s + 2];
            rgba[d + 3] = 255;
        }

        var info = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, rgba) ?? throw new InvalidOperationException("Skia refused the decoded pixels.");
    }

    private static void DrawBox(SKCanvas canvas, SKRect rect, float stroke)
    {
        using var edge = new SKPaint { Color = EdgeColor, Style = SKPaintStyle.Stroke, StrokeWidth = stroke + 2, IsAntialias = true };
        using var line = new SKPaint { Color = BoxColor, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, IsAntialias = true };
        canvas.DrawRect(rect, edge);
        canvas.DrawRect(rect, line);
    }

    /// <summary>A filled tag above the box's top-left corner (inside the box when there is no room above), text in dark glyphs.</summary>
    private static void DrawLabel(SKCanvas canvas, SKRect box, string text, int pixel, int width, int height)
    {
        var padding = pixel * 2;
        var textWidth = PixelFont.Width(text) * pixel;
        var tagWidth = textWidth + (2 * padding);
        var tagHeight = (PixelFont.Height * pixel) + (2 * padding);
        var left = Math.Clamp(box.Left, 0, Math.Max(0, width - tagWidth));
        var top = box.Top - tagHeight >= 0 ? box.Top - tagHeight : Math.Clamp(box.Top, 0, Math.Max(0, height - tagHeight));
        var tag = new SKRect(left, top, left + tagWidth, top + tagHeight);

        using var fill = new SKPaint { Color = BoxColor, Style = SKPaintStyle.Fill };
        using var ink = new SKPaint { Color = EdgeColor, Style = SKPaintStyle.Fill };
        canvas.DrawRect(tag, fill);
        PixelFont.Draw(canvas, text, tag.Left + padding, tag.Top + padding, pixel, ink);
    }
}
