using System.Text.Json.Nodes;
using CatWrangler.ModelSupply.Conversion;
using static CatWrangler.Detection.Tests.Conversion.TinyGraph;

namespace CatWrangler.Detection.Tests.Conversion;

/// <summary>
/// One tiny TFJS graph per op mapping, converted to ONNX, run in ONNX Runtime and compared with a naive C#
/// implementation of the TensorFlow semantics. Shapes are chosen so that the usual porting mistakes
/// (symmetric padding, swapped kernel axes, wrong resize mode, NHWC axes in an NCHW graph) change the result.
/// </summary>
public sealed class TfjsGraphConverterTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Conv2D_same_stride2_pads_asymmetrically_like_tensorflow()
    {
        // 8×8 input, 3×3 stride 2: TF pads 0 before and 1 after; a symmetric pad shifts every output
        var x = Input(1, 8, 8, 2, seed: 1);
        var filter = Halves(3 * 3 * 2 * 3, seed: 2);
        var g = new TinyGraph();
        g.Input("x", 1, 8, 8, 2);
        g.Const("w", [3, 3, 2, 3], filter);
        g.Node("Conv2D", "y", ["x", "w"], ConvAttr("SAME", 2));

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        var expected = TfReference.Conv(x, filter, 3, 3, 3, stride: 2, same: true, depthwise: false);
        Assert.Equal(expected.Shape, shape);
        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void Conv2D_with_a_non_square_kernel_keeps_height_and_width_apart()
    {
        // HWIO → OIHW: a 3×2 kernel on a 7×6 input fails loudly if kh and kw are swapped
        var x = Input(1, 7, 6, 3, seed: 3);
        var filter = Halves(3 * 2 * 3 * 4, seed: 4);
        var g = new TinyGraph();
        g.Input("x", 1, 7, 6, 3);
        g.Const("w", [3, 2, 3, 4], filter);
        g.Node("Conv2D", "y", ["x", "w"], ConvAttr("VALID", 1));

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        var expected = TfReference.Conv(x, filter, 3, 2, 4, stride: 1, same: false, depthwise: false);
        Assert.Equal(expected.Shape, shape);
        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void FusedConv2D_adds_the_bias_and_applies_the_fused_relu()
    {
        var x = Input(1, 6, 6, 2, seed: 5);
        var filter = Halves(1 * 1 * 2 * 4, seed: 6);
        var bias = Halves(4, seed: 7);
        var g = new TinyGraph();
        g.Input("x", 1, 6, 6, 2);
        g.Const("w", [1, 1, 2, 4], filter);
        g.Const("b", [4], bias);
        g.Node("_FusedConv2D", "y", ["x", "w", "b"], ConvAttr("SAME", 1, "BiasAdd", "Relu"));

        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);

        var expected = TfReference.Map(TfReference.Conv(x, filter, 1, 1, 4, 1, same: true, depthwise: false, bias), TfReference.Relu);
        Assert.Contains(expected.Data, v => v == 0f);
        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void FusedDepthwiseConv_5x5_stride2_becomes_a_group_conv_with_TF_SAME_pads()
    {
        // 5×5 s2 on 8×8: TF pads 1 before, 2 after; the depthwise filter [kh,kw,in,1] must become [in,1,kh,kw], group=in
        var x = Input(1, 8, 8, 3, seed: 8);
        var filter = Halves(5 * 5 * 3 * 1, seed: 9);
        var bias = Halves(3, seed: 10);
        var g = new TinyGraph();
        g.Input("x", 1, 8, 8, 3);
        g.Const("w", [5, 5, 3, 1], filter);
        g.Const("b", [3], bias);
        g.Node("FusedDepthwiseConv2dNative", "y", ["x", "w", "b"], ConvAttr("SAME", 2, "BiasAdd"));

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        var expected = TfReference.Conv(x, filter, 5, 5, 1, stride: 2, same: true, depthwise: true, bias);
        Assert.Equal([1, 4, 4, 3], shape);
        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void DepthwiseConv_with_channel_multiplier_orders_output_channels_like_tensorflow()
    {
        var x = Input(1, 5, 5, 2, seed: 11);
        var filter = Halves(3 * 3 * 2 * 2, seed: 12);
        var g = new TinyGraph();
        g.Input("x", 1, 5, 5, 2);
        g.Const("w", [3, 3, 2, 2], filter);
        g.Node("DepthwiseConv2dNative", "y", ["x", "w"], ConvAttr("SAME", 1));

        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);

        AssertClose(TfReference.Conv(x, filter, 3, 3, 2, 1, same: true, depthwise: true).Data, actual);
    }

    [Fact]
    public void Relu6_becomes_a_clip_between_0_and_6()
    {
        var x = Input(1, 3, 3, 2, seed: 13, scale: 10f);
        var g = new TinyGraph();
        g.Input("x", 1, 3, 3, 2);
        g.Node("Relu6", "y", ["x"]);

        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);

        var expected = TfReference.Map(x, TfReference.Relu6);
        Assert.Contains(expected.Data, v => v == 6f);
        Assert.Contains(expected.Data, v => v == 0f);
        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void Sigmoid_and_identity_pass_through()
    {
        var x = Input(1, 2, 3, 4, seed: 14, scale: 4f);
        var g = new TinyGraph();
        g.Input("x", 1, 2, 3, 4);
        g.Node("Sigmoid", "s", ["x"]);
        g.Node("Identity", "y", ["s"]);

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        Assert.Equal([1, 2, 3, 4], shape);
        AssertClose(TfReference.Map(x, TfReference.Sigmoid).Data, actual);
    }

    [Fact]
    public void Mean_over_height_and_width_keeps_the_channel_axis()
    {
        // NHWC axes [1,2] must become NCHW [2,3]; a literal copy would average over channels and height
        var x = Input(1, 4, 5, 3, seed: 15);
        var g = new TinyGraph();
        g.Input("x", 1, 4, 5, 3);
        g.IntConst("axes", [2], 1, 2);
        g.Node("Mean", "y", ["x", "axes"], new JsonObject { ["keep_dims"] = B(true) });

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        Assert.Equal([1, 1, 1, 3], shape);
        AssertClose(TfReference.Mean12(x).Data, actual);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void ConcatV2_on_the_NHWC_channel_axis_concatenates_channels(int axis)
    {
        var x = Input(1, 3, 4, 2, seed: 16);
        var filter = Halves(1 * 1 * 2 * 3, seed: 17);
        var g = new TinyGraph();
        g.Input("x", 1, 3, 4, 2);
        g.Const("w", [1, 1, 2, 3], filter);
        g.Node("Conv2D", "c", ["x", "w"], ConvAttr("SAME", 1));
        g.IntConst("axis", [], axis);
        g.Node("ConcatV2", "y", ["x", "c", "axis"], new JsonObject { ["N"] = new JsonObject { ["i"] = "2" } });

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        Assert.Equal([1, 3, 4, 5], shape);
        AssertClose(TfReference.ConcatChannels(x, TfReference.Conv(x, filter, 1, 1, 3, 1, true, false)).Data, actual);
    }

    [Theory]
    [InlineData(false, 4, 5, 8, 10)]
    [InlineData(true, 4, 5, 8, 10)]
    [InlineData(true, 8, 8, 4, 4)]
    public void ResizeBilinear_uses_the_matching_coordinate_mode(bool halfPixelCenters, int h, int w, int outH, int outW)
    {
        // half_pixel_centers=false is ONNX "asymmetric" (not ONNX's default half_pixel); true is "half_pixel"
        var x = Input(1, h, w, 2, seed: 18);
        var g = new TinyGraph();
        g.Input("x", 1, h, w, 2);
        g.IntConst("size", [2], outH, outW);
        g.Node("ResizeBilinear", "y", ["x", "size"], new JsonObject { ["align_corners"] = B(false), ["half_pixel_centers"] = B(halfPixelCenters) });

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        Assert.Equal([1, outH, outW, 2], shape);
        AssertClose(TfReference.ResizeBilinear(x, outH, outW, halfPixelCenters).Data, actual);
        var otherMode = TfReference.ResizeBilinear(x, outH, outW, !halfPixelCenters).Data;
        Assert.True(MaxAbsDiff(otherMode, actual) > 1e-2, "the two coordinate modes must give different results on this input");
    }

    [Fact]
    public void Add_Mul_Sub_broadcast_scalars_channel_vectors_and_squeeze_excite_shapes()
    {
        // hard-swish-like chain: x*(1/6 as stored in half) + per-channel offset, minus the squeeze-excite mean, times x
        var x = Input(1, 4, 4, 3, seed: 19);
        var sixth = (float)(Half)(1f / 6f);
        var offset = Halves(3, seed: 20);
        var g = new TinyGraph();
        g.Input("x", 1, 4, 4, 3);
        g.Const("k", [], [1f / 6f]);
        g.Const("o", [3], offset);
        g.IntConst("axes", [2], 1, 2);
        g.Node("Mul", "m", ["k", "x"]);
        g.Node("AddV2", "a", ["m", "o"]);
        g.Node("Mean", "se", ["x", "axes"], new JsonObject { ["keep_dims"] = B(true) });
        g.Node("Sub", "s", ["a", "se"]);
        g.Node("Mul", "y", ["s", "x"]);

        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);

        var mean = TfReference.Mean12(x);
        var expected = new Nhwc(1, 4, 4, 3);
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                for (var c = 0; c < 3; c++)
                {
                    expected[0, i, j, c] = ((sixth * x[0, i, j, c]) + offset[c] - mean[0, 0, 0, c]) * x[0, i, j, c];
                }
            }
        }

        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void Half_float_weights_keep_minus_infinity_and_the_stored_value()
    {
        var g = new TinyGraph();
        g.Input("x", 1, 2, 2, 2);
        g.Const("inf", [2], [float.NegativeInfinity, 1f / 6f]);
        g.IntConst("ints", [3], 1, -2, 70000);
        g.Node("Add", "y", ["x", "inf"]);
        var (json, bin) = g.Build();

        var model = TfjsGraphModel.Load(json, bin);

        Assert.Equal([float.NegativeInfinity, 0.16662598f], model.Weights["inf"].Floats!);
        Assert.Equal([1, -2, 70000], model.Weights["ints"].Ints!);
        var x = Input(1, 2, 2, 2, seed: 21);
        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? float.NegativeInfinity : x.Data[i] + 0.16662598f, actual[i], Tolerance);
        }
    }

    [Fact]
    public void Constant_only_subgraphs_are_folded()
    {
        // (2 + 3) * 0.5 is computed at conversion time and used as one scalar
        var x = Input(1, 2, 2, 1, seed: 22);
        var g = new TinyGraph();
        g.Input("x", 1, 2, 2, 1);
        g.Const("two", [], [2f]);
        g.Const("three", [], [3f]);
        g.Const("half", [], [0.5f]);
        g.Node("AddV2", "five", ["two", "three"]);
        g.Node("Mul", "k", ["five", "half"]);
        g.Node("Mul", "y", ["x", "k"]);

        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);

        AssertClose(x.Data.Select(v => v * 2.5f).ToArray(), actual);
    }

    [Fact]
    public void The_graph_is_cut_at_the_requested_outputs()
    {
        // an op the converter does not know (TopKV2) after the output must not matter; asking for it must fail clearly
        var x = Input(1, 2, 2, 1, seed: 23);
        var g = new TinyGraph();
        g.Input("x", 1, 2, 2, 1);
        g.Node("Sigmoid", "y", ["x"]);
        g.IntConst("k", [], 1);
        g.Node("TopKV2", "top", ["y", "k"]);

        var (actual, _) = g.Run("x", "y", x.Data, x.Shape);
        AssertClose(TfReference.Map(x, TfReference.Sigmoid).Data, actual);

        var error = Assert.Throws<NotSupportedException>(() => g.Run("x", "top", x.Data, x.Shape));
        Assert.Contains("TopKV2", error.Message);
    }

    [Fact]
    public void The_batch_dimension_is_dynamic()
    {
        var x = Input(3, 6, 6, 2, seed: 24);
        var filter = Halves(3 * 3 * 2 * 2, seed: 25);
        var g = new TinyGraph();
        g.Input("x", 1, 6, 6, 2);
        g.Const("w", [3, 3, 2, 2], filter);
        g.Node("Conv2D", "y", ["x", "w"], ConvAttr("SAME", 2));

        var (actual, shape) = g.Run("x", "y", x.Data, x.Shape);

        Assert.Equal([3, 3, 3, 2], shape);
        AssertClose(TfReference.Conv(x, filter, 3, 3, 2, 2, same: true, depthwise: false).Data, actual);
    }

    [Fact]
    public void Weights_that_do_not_match_the_manifest_are_rejected()
    {
        var g = new TinyGraph();
        g.Input("x", 1, 2, 2, 1);
        g.Const("w", [2], [1f, 2f]);
        var (json, bin) = g.Build();

        Assert.Throws<InvalidDataException>(() => TfjsGraphModel.Load(json, bin[..^1]));
        Assert.Throws<InvalidDataException>(() => TfjsGraphModel.Load(json, [.. bin, 0]));
        Assert.Throws<InvalidDataException>(() => TfjsGraphModel.Load("{\"format\":\"layers-model\"}"u8, bin));
    }

    private static Nhwc Input(int n, int h, int w, int c, int seed, float scale = 2f)
    {
        var random = new Random(seed);
        return new Nhwc(Enumerable.Range(0, n * h * w * c).Select(_ => (random.NextSingle() * 2f - 1f) * scale).ToArray(), n, h, w, c);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var diff = MaxAbsDiff(expected, actual);
        Assert.True(diff <= Tolerance, $"max abs difference {diff} exceeds {Tolerance}");
    }

    private static float MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (p, q) => MathF.Abs(p - q)).Max();
}
