using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.TestSupport;
using SkiaSharp;

using Xunit;

namespace CatWrangler.Detection.Tests.Imaging;

public sealed class ImageDecoderTests
{
    private readonly ImageDecoder decoder = new(new ImageLimits());

    // 4×2 image: left half red, right half blue; a green marker at (0,0) shows where the top-left corner went.
    private static SKColor Quadrants(int x, int y) => (x, y) switch
    {
        (0, 0) => new SKColor(0, 255, 0),
        _ when x < 2 => new SKColor(255, 0, 0),
        _ => new SKColor(0, 0, 255),
    };

    [Fact]
    public void Png_decodes_to_exact_rgb()
    {
        var png = EncodedImages.Encode(4, 2, Quadrants, SKEncodedImageFormat.Png);

        using var image = decoder.Decode(png);

        Assert.Equal((4, 2), (image.Width, image.Height));
        Assert.Equal([0, 255, 0], Pixel(image, 0, 0));
        Assert.Equal([255, 0, 0], Pixel(image, 1, 1));
        Assert.Equal([0, 0, 255], Pixel(image, 3, 1));
    }

    [Theory]
    [InlineData(1, 0, 0, 4, 2)] // top-left: as stored
    [InlineData(2, 3, 0, 4, 2)] // mirrored horizontally: marker at top-right
    [InlineData(3, 3, 1, 4, 2)] // rotated 180°
    [InlineData(4, 0, 1, 4, 2)] // mirrored vertically
    [InlineData(5, 0, 0, 2, 4)] // transposed
    [InlineData(6, 1, 0, 2, 4)] // rotated 90° clockwise: the stored top-left lands top-right
    [InlineData(7, 1, 3, 2, 4)] // transverse
    [InlineData(8, 0, 3, 2, 4)] // rotated 90° counter-clockwise: the stored top-left lands bottom-left
    public void Exif_orientation_is_applied(ushort orientation, int markerX, int markerY, int width, int height)
    {
        // Big flat blocks survive JPEG compression; the 4×2 pattern is scaled up 16×.
        var jpeg = EncodedImages.Encode(64, 32, (x, y) => Quadrants(x / 16, y / 16), SKEncodedImageFormat.Jpeg);
        var oriented = TestImages.WithExifOrientation(jpeg, orientation);

        using var image = decoder.Decode(oriented);

        Assert.Equal((width * 16, height * 16), (image.Width, image.Height));
        Assert.Equal((width * 16, height * 16), (image.EncodedWidth, image.EncodedHeight));
        var marker = Pixel(image, (markerX * 16) + 8, (markerY * 16) + 8);
        Assert.True(marker[1] > 200 && marker[0] < 60 && marker[2] < 60, $"expected the green marker, got {string.Join(',', marker)}");
    }

    [Fact]
    public void Transparent_png_is_flattened_on_neutral_grey()
    {
        var png = EncodedImages.Encode(2, 1, (x, _) => x == 0 ? new SKColor(255, 0, 0, 0) : new SKColor(255, 0, 0, 128), SKEncodedImageFormat.Png);

        using var image = decoder.Decode(png);

        Assert.Equal([ImageDecoder.Background, ImageDecoder.Background, ImageDecoder.Background], Pixel(image, 0, 0));
        var half = Pixel(image, 1, 0);
        Assert.InRange(half[0], 190, 193); // 255·128/255 + 128·127/255 ≈ 192
        Assert.InRange(half[1], 62, 65); // 128·127/255 ≈ 64
    }

    [Fact]
    public void Grayscale_jpeg_decodes_to_equal_channels()
    {
        var jpeg = EncodedImages.Encode(16, 16, (x, _) => x < 8 ? new SKColor(40, 40, 40) : new SKColor(200, 200, 200), SKEncodedImageFormat.Jpeg, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var codec = SKCodec.Create(SKData.CreateCopy(jpeg)))
        {
            Assert.Equal(SKColorType.Gray8, codec.Info.ColorType); // really a one-component JPEG
        }

        using var image = decoder.Decode(jpeg);

        var dark = Pixel(image, 2, 2);
        var light = Pixel(image, 13, 13);
        Assert.All(dark, v => Assert.InRange(v, 35, 45));
        Assert.All(light, v => Assert.InRange(v, 195, 205));
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_rgb()
    {
        // 32×16, left half red, right half blue, stored as an Adobe CMYK JPEG (made once with libvips; Skia cannot write CMYK).
        var jpeg = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures", "cmyk-red-blue.jpg"));

        using var image = decoder.Decode(jpeg);

        Assert.Equal((32, 16), (image.Width, image.Height));
        var red = Pixel(image, 4, 8);
        var blue = Pixel(image, 28, 8);
        Assert.True(red[0] > 150 && red[2] < 100, $"left should be red, got {string.Join(',', red)}");
        Assert.True(blue[2] > 150 && blue[0] < 100, $"right should be blue, got {string.Join(',', blue)}");
    }

    [Fact]
    public void Truncated_jpeg_is_rejected_as_truncated()
    {
        var jpeg = EncodedImages.Encode(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), 90), SKEncodedImageFormat.Jpeg, quality: 90);

        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode(jpeg.AsSpan(0, jpeg.Length / 2)));

        Assert.Equal(ImageRejection.Truncated, ex.Reason);
    }

    [Fact]
    public void Truncated_png_is_rejected()
    {
        var png = EncodedImages.Encode(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)), SKEncodedImageFormat.Png);

        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode(png.AsSpan(0, png.Length * 2 / 3)));

        Assert.Contains(ex.Reason, new[] { ImageRejection.Truncated, ImageRejection.Corrupt });
    }

    [Fact]
    public void Oversized_image_is_rejected_before_decoding()
    {
        var small = new ImageDecoder(new ImageLimits { MaxPixels = 100 });
        var png = EncodedImages.Encode(11, 10, (_, _) => SKColors.White, SKEncodedImageFormat.Png);

        var ex = Assert.Throws<ImageRejectedException>(() => small.Decode(png));

        Assert.Equal(ImageRejection.BadDimensions, ex.Reason);
    }

    [Fact]
    public void Gif_is_unsupported()
    {
        byte[] gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode(gif));

        Assert.Equal(ImageRejection.UnsupportedFormat, ex.Reason);
    }

    [Fact]
    public void Text_is_rejected()
    {
        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode("hello, not a cat"u8));

        Assert.Equal(ImageRejection.Corrupt, ex.Reason);
    }

    [Fact]
    public void Scaled_jpeg_decode_keeps_the_long_side_at_least_the_target()
    {
        var jpeg = EncodedImages.Encode(2048, 1024, (x, _) => x < 1024 ? SKColors.Black : SKColors.White, SKEncodedImageFormat.Jpeg);

        using var image = decoder.Decode(jpeg, minLongSide: 512);

        Assert.Equal((512, 256), (image.Width, image.Height)); // 1/4 scale: 1/8 would be 256 < 512
        Assert.Equal((2048, 1024), (image.EncodedWidth, image.EncodedHeight));
    }

    [Fact]
    public void Jpeg_shorter_than_its_header_promises_is_rejected_as_truncated()
    {
        // Decoded as is, libjpeg fills the missing 7000×7000 with grey and Skia reports success.
        var lying = TestImages.JpegWithLyingHeader(7000, 7000);

        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode(lying, minLongSide: 512));

        Assert.Equal(ImageRejection.Truncated, ex.Reason);
    }

    [Fact]
    public void Png_whose_data_ends_before_its_rows_is_rejected_as_truncated()
    {
        var lying = TestImages.PngWithHeader(7000, 7000); // an empty zlib stream behind a 7000×7000 header

        var ex = Assert.Throws<ImageRejectedException>(() => decoder.Decode(lying, minLongSide: 512));

        Assert.Equal(ImageRejection.Truncated, ex.Reason);
    }

    [Theory]
    [InlineData(7000, 7000, false, 539, 539)] // blocks of 13×13 pixels
    [InlineData(3000, 2000, true, 600, 400)] // interlaced, blocks of 5×5
    public void Large_png_is_decoded_at_model_scale_within_the_decode_limit(int width, int height, bool interlaced, int expectedWidth, int expectedHeight)
    {
        var limits = new ImageLimits();
        using var budget = new DecodeBudget(limits);
        var scaled = new ImageDecoder(limits, budget);
        var png = TestImages.BandedPng(width, height, interlaced);

        using var image = scaled.Decode(png, minLongSide: 512);

        Assert.Equal((expectedWidth, expectedHeight), (image.Width, image.Height));
        Assert.Equal((width, height), (image.EncodedWidth, image.EncodedHeight));
        Assert.InRange(budget.ReservedBytesTotal, 1, limits.MaxDecodeBytes);
        Assert.True(budget.ReservedBytesTotal < 4L * width * height, $"reserved {budget.ReservedBytesTotal:N0} bytes, not less than a full-size decode");
        Assert.Equal(0, budget.InUseBytes);
        foreach (var (fx, fy) in new[] { (0.5, 0.1), (0.2, 0.6), (0.8, 0.9) })
        {
            var (x, y) = ((int)(image.Width * fx), (int)(image.Height * fy));
            var (r, g, b) = TestImages.Band((int)(width * fx), (int)(height * fy), width, height);
            Assert.Equal([r, g, b], Pixel(image, x, y));
        }
    }

    [Fact]
    public void Scaled_png_averages_blocks_of_pixels()
    {
        // 1100×40: blocks of 2×2 (1100 / 512), each averaging one black and one white column.
        var png = EncodedImages.Encode(1100, 40, (x, _) => x % 2 == 0 ? SKColors.Black : SKColors.White, SKEncodedImageFormat.Png);

        using var image = decoder.Decode(png, minLongSide: 512);

        Assert.Equal((550, 20), (image.Width, image.Height));
        Assert.All(image.Rgb.ToArray(), v => Assert.Equal(128, v));
    }

    [Fact]
    public async Task Decode_waits_while_the_budget_is_held_and_finishes_when_it_is_released()
    {
        var limits = new ImageLimits { MaxDecodeBytes = 8L * 1024 * 1024, DecodeBudgetBytes = 8L * 1024 * 1024 };
        using var budget = new DecodeBudget(limits);
        var scaled = new ImageDecoder(limits, budget);
        var png = TestImages.Png(640, 480);
        var waiting = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        budget.Waiting += bytes => waiting.TrySetResult(bytes);

        var held = budget.Reserve(limits.DecodeBudgetBytes - (64 * 1024), TestContext.Current.CancellationToken);
        var decode = Task.Factory.StartNew(() => scaled.Decode(png), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var requested = await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(decode.IsCompleted);
        Assert.True(requested >= 640 * 480 * 4, $"the decode asked for {requested:N0} bytes");
        held.Dispose();
        using var image = await decode.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal((640, 480), (image.Width, image.Height));
        Assert.Equal(0, budget.InUseBytes);
    }

    [Fact]
    public void Progressive_jpeg_whose_coefficients_exceed_the_limit_is_refused_before_decoding()
    {
        var jpeg = EncodedImages.Encode(256, 256, (x, y) => new SKColor((byte)x, (byte)y, 90), SKEncodedImageFormat.Jpeg, quality: 90);
        jpeg[jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]) + 1] = 0xC2; // mark the frame progressive (SOF2)
        var limits = new ImageLimits { MaxDecodeBytes = JpegHeader.Read(jpeg).CoefficientBytes };
        using var budget = new DecodeBudget(limits);

        var ex = Assert.Throws<ImageRejectedException>(() => new ImageDecoder(limits, budget).Decode(jpeg, minLongSide: 512));

        Assert.Equal(ImageRejection.BadDimensions, ex.Reason);
        Assert.Equal(0, budget.ReservedBytesTotal);
    }

    private static byte[] Pixel(DecodedImage image, int x, int y) => image.Rgb.Slice(((y * image.Width) + x) * 3, 3).ToArray();
}
