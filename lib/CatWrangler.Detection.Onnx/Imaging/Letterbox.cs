namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// Aspect-preserving bilinear resize (half-pixel centres, no antialiasing, like tf.image.resizeBilinear with
/// halfPixelCenters) centred on a black square, written as float NHWC RGB 0..255 into a caller-owned buffer.
/// Mirrors the reference pre-processing exactly, arithmetic in float32 like the reference kernel.
/// </summary>
public static class Letterbox
{
    /// <summary>Fills <paramref name="target"/> (length size*size*3) and returns the geometry used.</summary>
    /// <param name="inner">Long side of the scaled image inside the canvas; null fills the canvas (the reference view).</param>
    public static LetterboxGeometry Fill(ReadOnlySpan<byte> rgb, int width, int height, int size, Span<float> target, int? inner = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(target.Length, size * size * 3, nameof(target));
        var g = LetterboxGeometry.For(width, height, size, inner);
        target.Clear();

        // Per output column: the two source byte offsets and the blend factor; computed once, reused for every row.
        Span<int> x0 = g.ScaledWidth <= 1024 ? stackalloc int[g.ScaledWidth] : new int[g.ScaledWidth];
        Span<int> x1 = g.ScaledWidth <= 1024 ? stackalloc int[g.ScaledWidth] : new int[g.ScaledWidth];
        Span<float> fx = g.ScaledWidth <= 1024 ? stackalloc float[g.ScaledWidth] : new float[g.ScaledWidth];
        var ratioX = (float)width / g.ScaledWidth;
        for (var c = 0; c < g.ScaledWidth; c++)
        {
            var (lo, hi, f) = Source(ratioX, c, width);
            x0[c] = lo * 3;
            x1[c] = hi * 3;
            fx[c] = f;
        }

        var ratioY = (float)height / g.ScaledHeight;
        var stride = width * 3;
        for (var r = 0; r < g.ScaledHeight; r++)
        {
            var (y0, y1, fy) = Source(ratioY, r, height);
            var top = rgb.Slice(y0 * stride, stride);
            var bottom = rgb.Slice(y1 * stride, stride);
            var dst = target.Slice((((r + g.OffsetY) * size) + g.OffsetX) * 3, g.ScaledWidth * 3);
            for (var c = 0; c < g.ScaledWidth; c++)
            {
                int a = x0[c], b = x1[c];
                var f = fx[c];
                var o = c * 3;
                for (var k = 0; k < 3; k++)
                {
                    float tl = top[a + k], tr = top[b + k], bl = bottom[a + k], br = bottom[b + k];
                    var t = tl + ((tr - tl) * f);
                    var btm = bl + ((br - bl) * f);
                    dst[o + k] = t + ((btm - t) * fy);
                }
            }
        }

        return g;
    }

    /// <summary>Mirrors a filled NHWC square left-right in place (the flip of test-time augmentation).</summary>
    public static void MirrorHorizontally(Span<float> image, int size)
    {
        for (var r = 0; r < size; r++)
        {
            var row = image.Slice(r * size * 3, size * 3);
            for (int a = 0, b = (size - 1) * 3; a < b; a += 3, b -= 3)
            {
                for (var k = 0; k < 3; k++)
                {
                    (row[a + k], row[b + k]) = (row[b + k], row[a + k]);
                }
            }
        }
    }

    private static (int Lo, int Hi, float Frac) Source(float ratio, int i, int limit)
    {
        var src = (ratio * (i + 0.5f)) - 0.5f;
        var lo = Math.Max(0, (int)MathF.Floor(src));
        var hi = Math.Min(limit - 1, (int)MathF.Ceiling(src));
        return (lo, hi, src - lo);
    }
}
