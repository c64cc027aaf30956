using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>The observed value range of one activation tensor (from <see cref="ActivationCalibrator"/>).</summary>
public sealed record ActivationRange(float Min, float Max);

/// <summary>How <see cref="QdqQuantizer"/> quantises.</summary>
public sealed record QdqOptions
{
    /// <summary>
    /// Weights use 7 bits (−63..63) instead of 8. On AVX2 without VNNI, ONNX Runtime's u8s8 kernels add pairs of u8×s8
    /// products in 16 bits, which can saturate with full-range weights; 7-bit weights cannot.
    /// </summary>
    public bool ReduceRangeWeights { get; init; } = true;

    /// <summary>Conv nodes (by name) left in float, e.g. the last layers before a sigmoid whose output must stay precise.</summary>
    public IReadOnlySet<string> KeepFloat { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>
/// Static int8 quantisation of an ONNX graph's Conv layers in QDQ form: per-output-channel symmetric int8 weights and int32
/// bias as initializers behind DequantizeLinear, asymmetric uint8 activations as QuantizeLinear → DequantizeLinear pairs on
/// every Conv input and output. ONNX Runtime fuses DQ → Conv → Q into QLinearConv (u8s8), and drops a Relu or Clip(0, 6)
/// in front of a Q whose range it already enforces. Everything else stays float and reads the dequantised values.
/// </summary>
public static class QdqQuantizer
{
    private const string QuantizeSuffix = "/q";
    private const string DequantizeSuffix = "/dq";

    /// <summary>The activation tensors <see cref="Quantize"/> needs a range for (calibrate these).</summary>
    public static IReadOnlyList<string> CalibrationTensors(ModelProto model, QdqOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var plan = Plan(model.Graph, options);
        return plan.Activations;
    }

    /// <summary>A quantised copy of <paramref name="model"/>; <paramref name="ranges"/> must cover <see cref="CalibrationTensors"/>.</summary>
    public static ModelProto Quantize(ModelProto model, IReadOnlyDictionary<string, ActivationRange> ranges, QdqOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(options);
        var result = model.Clone();
        var graph = result.Graph;
        var plan = Plan(graph, options);
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var scales = new Dictionary<string, float>(StringComparer.Ordinal);
        var added = new List<NodeProto>();

        foreach (var name in plan.Activations)
        {
            if (!ranges.TryGetValue(name, out var range))
            {
                throw new ArgumentException($"No calibrated range for activation {name}.", nameof(ranges));
            }

            var (scale, zeroPoint) = ActivationParameters(range);
            scales[name] = scale;
            var scaleName = AddInitializer(graph, name + "/scale", [], TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(new[] { scale }.AsSpan()));
            var zeroName = AddInitializer(graph, name + "/zero_point", [], TensorProto.Types.DataType.Uint8, [zeroPoint]);
            added.Add(Node("QuantizeLinear", [name, scaleName, zeroName], [name + QuantizeSuffix], name + QuantizeSuffix));
            added.Add(Node("DequantizeLinear", [name + QuantizeSuffix, scaleName, zeroName], [name + DequantizeSuffix], name + DequantizeSuffix));
        }

        // Every consumer of a quantised tensor reads its dequantised copy, so a Conv's output feeds exactly one Q (the fusion needs that).
        var activations = plan.Activations.ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (activations.Contains(node.Input[i]))
                {
                    node.Input[i] = node.Input[i] + DequantizeSuffix;
                }
            }
        }

        foreach (var conv in plan.Convs)
        {
            var weights = initializers[conv.Input[1]];
            var inputScale = scales[conv.Input[0][..^DequantizeSuffix.Length]];
            var (weightName, weightScales) = QuantizeWeights(graph, weights, options.ReduceRangeWeights);
            added.Add(Node("DequantizeLinear", [weightName, weightName + "/scale", weightName + "/zero_point"], [weightName + DequantizeSuffix],
                weightName + DequantizeSuffix, AxisZero()));
            conv.Input[1] = weightName + DequantizeSuffix;
            if (conv.Input.Count > 2 && conv.Input[2].Length > 0)
            {
                var biasName = QuantizeBias(graph, initializers[conv.Input[2]], inputScale, weightScales);
                added.Add(Node("DequantizeLinear", [biasName, biasName + "/scale", biasName + "/zero_point"], [biasName + DequantizeSuffix],
                    biasName + DequantizeSuffix, AxisZero()));
                conv.Input[2] = biasName + DequantizeSuffix;
            }
        }

        // Float weights and biases now unused are dropped; the new nodes go in topological order (each Q right after its producer).
        var used = graph.Node.SelectMany(n => n.Input).Concat(added.SelectMany(n => n.Input)).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(i => !used.Contains(i.Name)).ToList();
        foreach (var i in unused)
        {
            graph.Initializer.Remove(i);
        }

        var ordered = TopologicalOrder(graph, [.. graph.Node, .. added]);
        graph.Node.Clear();
        graph.Node.AddRange(ordered);
        return result;
    }

    /// <summary>ONNX wants every node after the producers of its inputs.</summary>
    private static List<NodeProto> TopologicalOrder(GraphProto graph, List<NodeProto> nodes)
    {
        var available = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name)).Append(string.Empty).ToHashSet(StringComparer.Ordinal);
        var waiting = nodes.ToDictionary(n => n, n => n.Input.Count(i => !available.Contains(i)));
        var byInput = nodes.SelectMany(n => n.Input.Where(i => !available.Contains(i)).Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        var ready = new Queue<NodeProto>(nodes.Where(n => waiting[n] == 0));
        var ordered = new List<NodeProto>(nodes.Count);
        while (ready.TryDequeue(out var node))
        {
            ordered.Add(node);
            foreach (var output in node.Output)
            {
                foreach (var consumer in byInput[output])
                {
                    if (--waiting[consumer] == 0)
                    {
                        ready.Enqueue(consumer);
                    }
                }
            }
        }

        return ordered.Count == nodes.Count ? ordered : throw new InvalidDataException("The graph has a cycle or an input nothing produces.");
    }

    private sealed record QuantizationPlan(List<NodeProto> Convs, List<string> Activations);

    private static QuantizationPlan Plan(GraphProto graph, QdqOptions options)
    {
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var convs = graph.Node.Where(n => n.OpType == "Conv"
                && !options.KeepFloat.Contains(n.Name)
                && !initializers.ContainsKey(n.Input[0]) && !outputs.Contains(n.Input[0])
                && initializers.TryGetValue(n.Input[1], out var w) && w.DataType == (int)TensorProto.Types.DataType.Float
                && (n.Input.Count < 3 || n.Input[2].Length == 0 || initializers.ContainsKey(n.Input[2])))
            .ToList();
        var activations = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name)
        {
            if (!outputs.Contains(name) && seen.Add(name))
            {
                activations.Add(name);
            }
        }

        foreach (var conv in convs)
        {
            Add(conv.Input[0]);

            // A Relu or Clip that alone follows the Conv is quantised after it instead, so ONNX Runtime can drop it into the Q.
            var output = conv.Output[0];
            var next = consumers[output].ToList();
            var activationOut = next is [{ OpType: "Relu" or "Clip" } single] && !outputs.Contains(output) ? single.Output[0] : output;
            Add(activationOut);
        }

        return new QuantizationPlan(convs, activations);
    }

    /// <summary>uint8, asymmetric; the range always includes 0 so zero padding is exact.</summary>
    private static (float Scale, byte ZeroPoint) ActivationParameters(ActivationRange range)
    {
        var min = Math.Min(range.Min, 0f);
        var max = Math.Max(range.Max, 0f);
        var scale = (max - min) / 255f;
        if (!(scale > 0) || !float.IsFinite(scale))
        {
            return (1f, 0);
        }

        var zeroPoint = (byte)Math.Clamp(Math.Round(-min / scale), 0, 255);
        return (scale, zeroPoint);
    }

    private static (string Name, float[] Scales) QuantizeWeights(GraphProto graph, TensorProto weights, bool reduceRange)
    {
        var values = Floats(weights);
        var channels = (int)weights.Dims[0];
        var perChannel = values.Length / channels;
        var limit = reduceRange ? 63 : 127;
        var quantized = new sbyte[values.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var slice = values.AsSpan(c * perChannel, perChannel);
            var absMax = 0f;
            foreach (var v in slice)
            {
                absMax = Math.Max(absMax, Math.Abs(v));
            }

            var scale = absMax > 0 ? absMax / limit : 1f;
            scales[c] = scale;
            for (var i = 0; i < perChannel; i++)
            {
                quantized[(c * perChannel) + i] = (sbyte)Math.Clamp(Math.Round(slice[i] / scale), -limit, limit);
            }
        }

        var name = weights.Name + "/quantized";
        AddInitializer(graph, name, [.. weights.Dims], TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(quantized.AsSpan()));
        AddInitializer(graph, name + "/scale", [channels], TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()));
        AddInitializer(graph, name + "/zero_point", [channels], TensorProto.Types.DataType.Int8, new byte[channels]);
        return (name, scales);
    }

    /// <summary>int32 with scale input scale × weight scale per channel (what QLinearConv adds to its int32 accumulator).</summary>
    private static string QuantizeBias(GraphProto graph, TensorProto bias, float inputScale, float[] weightScales)
    {
        var values = Floats(bias);
        var quantized = new int[values.Length];
        var scales = new float[values.Length];
        for (var c = 0; c < values.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            quantized[c] = (int)Math.Clamp(Math.Round(values[c] / scales[c]), int.MinValue, int.MaxValue);
        }

        var name = bias.Name + "/quantized";
        AddInitializer(graph, name, [values.Length], TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(quantized.AsSpan()));
        AddInitializer(graph, name + "/scale", [values.Length], TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()));
        AddInitializer(graph, name + "/zero_point", [values.Length], TensorProto.Types.DataType.Int32, new byte[values.Length * 4]);
        return name;
    }

    private static float[] Floats(TensorProto tensor)
        => tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    private static string AddInitializer(GraphProto graph, string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        graph.Initializer.Add(t);
        return name;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, string name, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    private static AttributeProto AxisZero() => new() { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 };
}
