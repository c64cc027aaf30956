namespace CatWrangler.Detection.Tests.Conversion;

/// <summary>A 4-D NHWC tensor for the naive reference implementations.</summary>
internal sealed record Nhwc(float[] Data, int N, int H, int W, int C)
{
    public Nhwc(int n, int h, int w, int c)
        : this(new float[n * h * w * c], n, h, w, c)
    {
    }

    public int[] Shape => [N, H, W, C];

    public float this[int n, int y, int x, int c]
    {
        get => Data[(((((n * H) + y) * W) + x) * C) + c];
        set => Data[(((((n * H) + y) * W) + x) * C) + c] = value;
    }
}

/// <summary>Naive TensorFlow semantics (as documented for tf.nn / tf.image), written for clarity, not speed.</summary>
internal static class TfReference
{
    /// <summary>TF SAME: output = ceil(in/stride), total padding split with the extra row/column after.</summary>
    public static (int Out, int Before) Same(int input, int kernel, int stride)
    {
        var output = (input + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - input, 0);
        return (output, total / 2);
    }

    /// <summary>tf.nn.conv2d (filter HWIO) or tf.nn.depthwise_conv2d (filter [kh,kw,in,mult]), optional bias.</summary>
    public static Nhwc Conv(Nhwc x, float[] filter, int kh, int kw, int outOrMult, int stride, bool same, bool depthwise, float[]? bias = null)
    {
        var (oh, padTop) = same ? Same(x.H, kh, stride) : (((x.H - kh) / stride) + 1, 0);
        var (ow, padLeft) = same ? Same(x.W, kw, stride) : (((x.W - kw) / stride) + 1, 0);
        var outC = depthwise ? x.C * outOrMult : outOrMult;
        var y = new Nhwc(x.N, oh, ow, outC);
        for (var n = 0; n < x.N; n++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    for (var o = 0; o < outC; o++)
                    {
                        double sum = bias?[o] ?? 0;
                        for (var ky = 0; ky < kh; ky++)
                        {
                            for (var kx = 0; kx < kw; kx++)
                            {
                                int iy = (oy * stride) - padTop + ky, ix = (ox * stride) - padLeft + kx;
                                if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W)
                                {
                                    continue;
                                }

                                if (depthwise)
                                {
                                    int c = o / outOrMult, m = o % outOrMult;
                                    sum += x[n, iy, ix, c] * filter[(((((ky * kw) + kx) * x.C) + c) * outOrMult) + m];
                                }
                                else
                                {
                                    for (var c = 0; c < x.C; c++)
                                    {
                                        sum += x[n, iy, ix, c] * filter[(((((ky * kw) + kx) * x.C) + c) * outOrMult) + o];
                                    }
                                }
                            }
                        }

                        y[n, oy, ox, o] = (float)sum;
                    }
                }
            }
        }

        return y;
    }

    public static Nhwc Map(Nhwc x, Func<float, float> f) => x with { Data = x.Data.Select(f).ToArray() };

    public static float Relu(float v) => Math.Max(v, 0f);

    public static float Relu6(float v) => Math.Min(Math.Max(v, 0f), 6f);

    public static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));

    /// <summary>tf.image.resize_bilinear: half_pixel_centers=false maps out→in by i*in/out; true by (i+0.5)*in/out-0.5.</summary>
    public static Nhwc ResizeBilinear(Nhwc x, int outH, int outW, bool halfPixelCenters)
    {
        var y = new Nhwc(x.N, outH, outW, x.C);
        for (var n = 0; n < x.N; n++)
        {
            for (var oy = 0; oy < outH; oy++)
            {
                var (y0, y1, fy) = Source(oy, x.H, outH, halfPixelCenters);
                for (var ox = 0; ox < outW; ox++)
                {
                    var (x0, x1, fx) = Source(ox, x.W, outW, halfPixelCenters);
                    for (var c = 0; c < x.C; c++)
                    {
                        var top = x[n, y0, x0, c] + ((x[n, y0, x1, c] - x[n, y0, x0, c]) * fx);
                        var bottom = x[n, y1, x0, c] + ((x[n, y1, x1, c] - x[n, y1, x0, c]) * fx);
                        y[n, oy, ox, c] = top + ((bottom - top) * fy);
                    }
                }
            }
        }

        return y;
    }

    public static Nhwc Mean12(Nhwc x)
    {
        var y = new Nhwc(x.N, 1, 1, x.C);
        for (var n = 0; n < x.N; n++)
        {
            for (var c = 0; c < x.C; c++)
            {
                double sum = 0;
                for (var i = 0; i < x.H; i++)
                {
                    for (var j = 0; j < x.W; j++)
                    {
                        sum += x[n, i, j, c];
                    }
                }

                y[n, 0, 0, c] = (float)(sum / (x.H * x.W));
            }
        }

        return y;
    }

    public static Nhwc ConcatChannels(Nhwc a, Nhwc b)
    {
        var y = new Nhwc(a.N, a.H, a.W, a.C + b.C);
        for (var n = 0; n < a.N; n++)
        {
            for (var i = 0; i < a.H; i++)
            {
                for (var j = 0; j < a.W; j++)
                {
                    for (var c = 0; c < y.C; c++)
                    {
                        y[n, i, j, c] = c < a.C ? a[n, i, j, c] : b[n, i, j, c - a.C];
                    }
                }
            }
        }

        return y;
    }

    private static (int Lo, int Hi, float Frac) Source(int i, int inSize, int outSize, bool halfPixel)
    {
        var scale = (float)inSize / outSize;
        var src = halfPixel ? ((i + 0.5f) * scale) - 0.5f : i * scale;
        var lo = (int)MathF.Floor(src);
        var frac = src - lo;
        return (Math.Clamp(lo, 0, inSize - 1), Math.Clamp(lo + 1, 0, inSize - 1), lo < 0 ? 0f : frac);
    }
}
