using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.TestSupport;
using SkiaSharp;

using Xunit;

namespace CatWrangler.Detection.Tests.Imaging;

/// <summary>The annotated picture, read back with Skia's own PNG decoder.</summary>
public sealed class AnnotatedImageRendererTests
{
    private readonly AnnotatedImageRenderer renderer = new(new ImageDecoder(new ImageLimits()));

    private static SKBitmap Read(byte[] png)
    {
        using var codec = SKCodec.Create(new MemoryStream(png));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        return SKBitmap.Decode(png);
    }

    [Fact]
    public void A_large_image_is_scaled_to_1600_and_the_box_follows_it()
    {
        // 3200×1600: green top quarter, red left and blue right below it; nothing in it is the box yellow.
        var image = TestImages.BandedPng(3200, 1600);

        using var picture = Read(renderer.Render(image, [new BoundingBox(800, 400, 1600, 800, 0.74)]));

        Assert.Equal((1600, 800), (picture.Width, picture.Height));
        Assert.Equal(AnnotatedImageRenderer.BoxColor, picture.GetPixel(400, 400)); // left edge, halved
        Assert.Equal(AnnotatedImageRenderer.BoxColor, picture.GetPixel(800, 600)); // bottom edge
        Assert.Equal(AnnotatedImageRenderer.BoxColor, picture.GetPixel(1200, 400)); // right edge
        Assert.NotEqual(AnnotatedImageRenderer.BoxColor, picture.GetPixel(800, 400)); // inside: the photo
        Assert.NotEqual(AnnotatedImageRenderer.BoxColor, picture.GetPixel(300, 400)); // outside
    }

    [Fact]
    public void The_score_is_written_in_a_tag_above_the_box()
    {
        var image = TestImages.BandedPng(1600, 800);

        using var picture = Read(renderer.Render(image, [new BoundingBox(400, 300, 600, 400, 0.74)]));

        // The tag is the box yellow with dark glyphs, right above the box's top-left corner.
        var (ink, fill) = (0, 0);
        for (var y = 300 - 40; y < 300 - 4; y++)
        {
            for (var x = 404; x < 560; x++)
            {
                var pixel = picture.GetPixel(x, y);
                ink += pixel == AnnotatedImageRenderer.EdgeColor ? 1 : 0;
                fill += pixel == AnnotatedImageRenderer.BoxColor ? 1 : 0;
            }
        }

        Assert.True(ink > 200, $"expected glyphs in the tag, found {ink} dark pixels");
        Assert.True(fill > ink, $"expected a filled tag, found {fill} yellow pixels");
    }

    [Fact]
    public void Boxes_are_drawn_on_the_upright_image()
    {
        // Stored 40×20 with EXIF orientation 6 (rotate 90° clockwise): shown, and boxed, as 20×40.
        var jpeg = TestImages.WithExifOrientation(TestImages.Jpeg(40, 20), 6);

        using var picture = Read(renderer.Render(jpeg, [new BoundingBox(2, 2, 10, 36, 0.5)]));

        Assert.Equal((20, 40), (picture.Width, picture.Height));
        Assert.Equal(AnnotatedImageRenderer.BoxColor, picture.GetPixel(2, 30));
    }

    [Fact]
    public void No_boxes_is_just_the_picture()
    {
        var png = TestImages.Png(64, 48);

        using var picture = Read(renderer.Render(png, []));

        Assert.Equal((64, 48), (picture.Width, picture.Height));
    }

    [Fact]
    public void Bytes_that_are_no_image_are_a_rejection()
    {
        Assert.Throws<ImageRejectedException>(() => renderer.Render(TestImages.TruncatedJpeg(0.3), []));
    }
}
