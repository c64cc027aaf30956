using CatWrangler.Detection.Onnx;
using CatWrangler.Detection.Onnx.Imaging;

using Xunit;

namespace CatWrangler.Detection.Tests.Imaging;

public sealed class LetterboxTests
{
    [Theory]
    [InlineData(1000, 500, 512, 256, 0, 128)]
    [InlineData(500, 1000, 256, 512, 128, 0)]
    [InlineData(375, 500, 384, 512, 64, 0)]
    [InlineData(499, 375, 512, 385, 0, 63)] // 384.77 rounds up; odd padding puts the extra row at the bottom
    [InlineData(5000, 1, 512, 1, 0, 255)] // never less than one row
    public void Geometry_matches_the_reference(int w, int h, int scaledW, int scaledH, int dx, int dy)
    {
        var g = LetterboxGeometry.For(w, h, 512);

        Assert.Equal((scaledW, scaledH, dx, dy), (g.ScaledWidth, g.ScaledHeight, g.OffsetX, g.OffsetY));
    }

    [Fact]
    public void Bilinear_with_half_pixel_centres_and_black_padding()
    {
        // 2×1 image: red channel 0 then 100. Scale 256 → 512×256 placed at y = 128.
        byte[] rgb = [0, 10, 20, 100, 10, 20];
        var target = new float[512 * 512 * 3];

        var g = Letterbox.Fill(rgb, 2, 1, 512, target);

        Assert.Equal((512, 256, 0, 128), (g.ScaledWidth, g.ScaledHeight, g.OffsetX, g.OffsetY));
        Assert.Equal(0f, R(target, 0, 127)); // padding above
        Assert.Equal(0f, R(target, 511, 384)); // padding below
        Assert.Equal(0f, R(target, 0, 128)); // clamped left edge
        Assert.Equal(100f, R(target, 511, 200)); // clamped right edge
        Assert.Equal(100f * ((2f / 512 * 255.5f) - 0.5f), R(target, 255, 300), 4); // 49.8: half-pixel centre sampling
        Assert.Equal(10f, target[((200 * 512) + 17) * 3 + 1]); // constant channels stay constant
    }

    [Fact]
    public void Downscale_samples_two_source_pixels_without_antialiasing()
    {
        // 1024×1 ramp (red = x mod 256) down to 512: output column c samples source 2c+0.5, the mean of 2c and 2c+1.
        var rgb = new byte[1024 * 3];
        for (var x = 0; x < 1024; x++)
        {
            rgb[x * 3] = (byte)(x % 256);
        }

        var target = new float[512 * 512 * 3];
        Letterbox.Fill(rgb, 1024, 1, 512, target);

        Assert.Equal(0.5f, R(target, 0, 255), 4);
        Assert.Equal(20.5f, R(target, 10, 255), 4);
    }

    [Fact]
    public void Mirror_reverses_columns()
    {
        var target = new float[4 * 4 * 3];
        target[((1 * 4) + 0) * 3] = 7;

        Letterbox.MirrorHorizontally(target, 4);

        Assert.Equal(7f, target[((1 * 4) + 3) * 3]);
        Assert.Equal(0f, target[((1 * 4) + 0) * 3]);
    }

    [Fact]
    public void Boxes_map_back_to_original_pixels()
    {
        var g = LetterboxGeometry.For(1000, 500, 512);

        var box = CenterNetDecoder.ToImage(new InputBox(0, 128, 256, 384, 0.9f), g, 1, 1, 1000, 500);

        Assert.Equal(0, box.X, 3);
        Assert.Equal(0, box.Y, 3);
        Assert.Equal(500, box.Width, 3);
        Assert.Equal(500, box.Height, 3);
    }

    [Fact]
    public void Boxes_account_for_a_scaled_decode_and_are_clipped()
    {
        // Decoded at 1/4 (500×250) from a 2000×1000 original; the box runs past the right edge.
        var g = LetterboxGeometry.For(500, 250, 512);

        var box = CenterNetDecoder.ToImage(new InputBox(256, 128, 600, 256, 0.5f), g, 4, 4, 2000, 1000);

        Assert.Equal(1000, box.X, 1);
        Assert.Equal(0, box.Y, 1);
        Assert.Equal(1000, box.Width, 1);
        Assert.Equal(500, box.Height, 1);
    }

    private static float R(float[] t, int x, int y) => t[((y * 512) + x) * 3];
}
