using System.Runtime.InteropServices;
using CatWrangler.ModelSupply.Conversion;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static CatWrangler.Detection.Tests.Conversion.TinyGraph;

namespace CatWrangler.Detection.Tests.Conversion;

/// <summary>
/// The int8 QDQ pass on a small converted graph (3×3 conv + bias + Relu, 3×3 depthwise + Relu6, 1×1 conv): the structure
/// ONNX Runtime needs to fuse QLinearConv (checked by ONNX Runtime itself, from its optimised graph), and the quantised
/// outputs within a few quantisation steps of the float model.
/// </summary>
public sealed class QdqQuantizerTests
{
    private const int Side = 12;

    [Fact]
    public void Every_conv_reads_int8_per_channel_weights_int32_bias_and_a_dequantised_input()
    {
        var model = SmallModel();
        var quantized = QdqQuantizer.Quantize(model, Calibrate(model, Samples(4)), new QdqOptions());

        var initializers = quantized.Graph.Initializer.ToDictionary(i => i.Name);
        var producers = quantized.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var convs = quantized.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal(3, convs.Count);
        foreach (var conv in convs)
        {
            Assert.Equal("DequantizeLinear", producers[conv.Input[0]].OpType);
            var weights = producers[conv.Input[1]];
            Assert.Equal("DequantizeLinear", weights.OpType);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, initializers[weights.Input[0]].DataType);
            var channels = initializers[weights.Input[0]].Dims[0];
            Assert.Equal([channels], initializers[weights.Input[1]].Dims);
            var bias = producers[conv.Input[2]];
            Assert.Equal((int)TensorProto.Types.DataType.Int32, initializers[bias.Input[0]].DataType);

            // The Conv (or the Relu/Clip right after it) feeds exactly one QuantizeLinear, nothing else.
            var output = quantized.Graph.Node.Single(n => n.Input.Contains(conv.Output[0]));
            if (output.OpType is "Relu" or "Clip")
            {
                output = quantized.Graph.Node.Single(n => n.Input.Contains(output.Output[0]));
            }

            Assert.Equal("QuantizeLinear", output.OpType);
        }

        Assert.DoesNotContain(quantized.Graph.Initializer, i => i.DataType == (int)TensorProto.Types.DataType.Float && i.Dims.Count == 4);

        // One Q per activation: the input, after the Relu, after the Clip, the output; none between a Conv and its Relu/Clip,
        // so the quantised range starts at 0 and all 256 levels go to the values the next layer sees.
        var quantizers = quantized.Graph.Node.Where(n => n.OpType == "QuantizeLinear").ToList();
        Assert.Equal(4, quantizers.Count);
        foreach (var q in quantizers.Where(q => producers[q.Input[0]].OpType is "Relu" or "Clip"))
        {
            Assert.Equal(0, initializers[q.Input[2]].RawData[0]);
        }

        Assert.Equal(2, quantizers.Count(q => producers[q.Input[0]].OpType is "Relu" or "Clip"));
    }

    [Fact]
    public void Onnx_runtime_fuses_every_conv_into_QLinearConv()
    {
        var model = SmallModel();
        var quantized = QdqQuantizer.Quantize(model, Calibrate(model, Samples(4)), new QdqOptions());

        var optimized = Path.Combine(Path.GetTempPath(), $"qdq-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
            using (new InferenceSession(quantized.ToByteArray(), options))
            {
            }

            var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node.Select(n => n.OpType).ToList();
            Assert.Equal(3, ops.Count(o => o == "QLinearConv"));
            Assert.DoesNotContain("Conv", ops);
            Assert.DoesNotContain("FusedConv", ops);

            // The Relu and Clip(0, 6) are redundant with their Q's range and dropped.
            Assert.DoesNotContain("Relu", ops);
            Assert.DoesNotContain("Clip", ops);
        }
        finally
        {
            File.Delete(optimized);
        }
    }

    [Fact]
    public void Quantised_outputs_stay_within_a_few_quantisation_steps_of_the_float_model()
    {
        var model = SmallModel();
        var samples = Samples(6);
        var ranges = Calibrate(model, samples);
        var quantized = QdqQuantizer.Quantize(model, ranges, new QdqOptions());

        using var floatSession = new InferenceSession(model.ToByteArray());
        using var int8Session = new InferenceSession(quantized.ToByteArray());
        var yRange = ranges[OutputProducer(model)];
        var step = (Math.Max(yRange.Max, 0) - Math.Min(yRange.Min, 0)) / 255f;
        foreach (var x in samples)
        {
            var expected = Run(floatSession, x);
            var actual = Run(int8Session, x);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();

            // Three quantised layers each add at most half a step of rounding, plus weight rounding: far below the range.
            Assert.InRange(worst, 0f, 4 * step);
            Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Average() < step, "mean error should be under one step");
        }
    }

    [Fact]
    public void Weights_round_trip_within_half_a_step_of_their_channel_scale()
    {
        var model = SmallModel();
        var quantized = QdqQuantizer.Quantize(model, Calibrate(model, Samples(2)), new QdqOptions { ReduceRangeWeights = true });

        var original = model.Graph.Initializer.Single(i => i.Name.EndsWith("/weights", StringComparison.Ordinal) && i.Dims[1] == 3);
        var q = quantized.Graph.Initializer.Single(i => i.Name == original.Name + "/quantized");
        var scales = MemoryMarshal.Cast<byte, float>(quantized.Graph.Initializer.Single(i => i.Name == q.Name + "/scale").RawData.Span).ToArray();
        var w = MemoryMarshal.Cast<byte, float>(original.RawData.Span).ToArray();
        var qw = MemoryMarshal.Cast<byte, sbyte>(q.RawData.Span).ToArray();
        var perChannel = w.Length / scales.Length;
        for (var i = 0; i < w.Length; i++)
        {
            var scale = scales[i / perChannel];
            Assert.InRange(qw[i], (sbyte)-63, (sbyte)63);
            Assert.InRange(Math.Abs((qw[i] * scale) - w[i]), 0f, (scale / 2) + 1e-7f);
        }

        // Symmetric per channel: each channel's largest weight uses the whole 7-bit range.
        for (var c = 0; c < scales.Length; c++)
        {
            Assert.Equal(63, qw.Skip(c * perChannel).Take(perChannel).Max(v => Math.Abs((int)v)));
        }
    }

    [Fact]
    public void Kept_float_convs_and_missing_ranges()
    {
        var model = SmallModel();
        var ranges = Calibrate(model, Samples(2));
        var last = model.Graph.Node.Last(n => n.OpType == "Conv").Name;

        var partial = QdqQuantizer.Quantize(model, ranges, new QdqOptions { KeepFloat = new HashSet<string> { last } });
        var initializers = partial.Graph.Initializer.ToDictionary(i => i.Name);
        Assert.Equal((int)TensorProto.Types.DataType.Float, initializers[partial.Graph.Node.Single(n => n.Name == last).Input[1]].DataType);

        var incomplete = ranges.Skip(1).ToDictionary();
        var error = Assert.Throws<ArgumentException>(() => QdqQuantizer.Quantize(model, incomplete, new QdqOptions()));
        Assert.Contains(ranges.Keys.First(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrator_reports_the_true_min_and_max_or_a_narrower_percentile_range()
    {
        var model = SmallModel();
        var samples = Samples(3);
        var name = OutputProducer(model);

        using var session = new InferenceSession(model.ToByteArray());
        var all = samples.SelectMany(x => Run(session, x)).ToArray();
        var exact = Calibrate(model, samples)[name];
        Assert.Equal(all.Min(), exact.Min, 1e-5f);
        Assert.Equal(all.Max(), exact.Max, 1e-5f);

        using var percentile = new ActivationCalibrator(model, [name], percentile: 99);
        foreach (var x in samples)
        {
            percentile.Observe(x, [1, Side, Side, 3]);
        }

        var narrower = percentile.Ranges()[name];
        Assert.InRange(narrower.Min, exact.Min, exact.Max);
        Assert.InRange(narrower.Max, narrower.Min, exact.Max);
        Assert.True(narrower.Max < exact.Max || narrower.Min > exact.Min, "the 99th percentile should clip an extreme value");
    }

    /// <summary>x → 3×3 conv (bias, Relu) → 3×3 depthwise (bias, Relu6) → 1×1 conv (bias) → y.</summary>
    private static ModelProto SmallModel()
    {
        var g = new TinyGraph();
        g.Input("x", 1, Side, Side, 3);
        g.Const("w1", [3, 3, 3, 8], Halves(3 * 3 * 3 * 8, seed: 11, scale: 0.5f));
        g.Const("b1", [8], Halves(8, seed: 12, scale: 0.2f));
        g.Node("_FusedConv2D", "c1", ["x", "w1", "b1"], ConvAttr("SAME", 1, "BiasAdd", "Relu"));
        g.Const("w2", [3, 3, 8, 1], Halves(3 * 3 * 8, seed: 13, scale: 0.5f));
        g.Const("b2", [8], Halves(8, seed: 14, scale: 0.2f));
        g.Node("FusedDepthwiseConv2dNative", "c2", ["c1", "w2", "b2"], ConvAttr("SAME", 1, "BiasAdd", "Relu6"));
        g.Const("w3", [1, 1, 8, 4], Halves(8 * 4, seed: 15, scale: 0.5f));
        g.Const("b3", [4], Halves(4, seed: 16, scale: 0.2f));
        g.Node("_FusedConv2D", "y", ["c2", "w3", "b3"], ConvAttr("SAME", 1, "BiasAdd"));
        var (json, bin) = g.Build();
        return TfjsGraphConverter.Convert(TfjsGraphModel.Load(json, bin), new TfjsConversionOptions
        {
            Inputs = new Dictionary<string, string> { ["x"] = "images" },
            Outputs = new Dictionary<string, string> { ["y"] = "y" },
        });
    }

    /// <summary>The NCHW tensor in front of the output transpose (the last Conv's output), which the quantiser quantises.</summary>
    private static string OutputProducer(ModelProto model) => model.Graph.Node.Last(n => n.OpType == "Conv").Output[0];

    private static List<float[]> Samples(int count)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Side * Side * 3).Select(_ => random.NextSingle() * 4f - 1f).ToArray())];
    }

    private static IReadOnlyDictionary<string, ActivationRange> Calibrate(ModelProto model, List<float[]> samples)
    {
        using var calibrator = new ActivationCalibrator(model, QdqQuantizer.CalibrationTensors(model, new QdqOptions()).Append(OutputProducer(model)).Distinct().ToList());
        foreach (var x in samples)
        {
            calibrator.Observe(x, [1, Side, Side, 3]);
        }

        return calibrator.Ranges();
    }

    private static float[] Run(InferenceSession session, float[] x)
    {
        using var runOptions = new RunOptions();
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, Side, Side, 3]);
        using var outputs = session.Run(runOptions, ["images"], [input], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
