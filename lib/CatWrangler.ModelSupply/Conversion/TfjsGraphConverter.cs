using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>
/// Converts a TFJS graph model (NHWC TensorFlow GraphDef as JSON + half-float weights) to an ONNX opset-17 model.
/// Inside the ONNX graph everything is NCHW; inputs and outputs stay NHWC through transposes at the ends.
/// Supports the ops CenterNet needs up to its heatmap and size outputs (see docs/detector-model.md).
/// </summary>
public static class TfjsGraphConverter
{
    public const int Opset = 17;

    public static ModelProto Convert(TfjsGraphModel model, TfjsConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var context = new ConversionContext(model, options);
        foreach (var (tfName, onnxName) in options.Outputs)
        {
            context.AddOutput(tfName, onnxName);
        }

        var onnx = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "CatWrangler.TfjsGraphConverter",
            ProducerVersion = "1",
            DocString = options.Description ?? string.Empty,
            Graph = context.Graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return onnx;
    }

    /// <summary>A converted TF tensor: a compile-time constant, or an ONNX value (NCHW inside) with its NHWC shape (-1 = dynamic).</summary>
    private abstract record Value;

    private sealed record ConstValue(TfTensor Tensor) : Value;

    private sealed record DynValue(string Name, int[] Shape) : Value;

    private sealed class ConversionContext(TfjsGraphModel model, TfjsConversionOptions options)
    {
        // NHWC axis → NCHW axis
        private static readonly int[] AxisToNchw = [0, 2, 3, 1];

        private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
        private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _visiting = new(StringComparer.Ordinal);

        public GraphProto Graph { get; } = new() { Name = "tfjs" };

        public void AddOutput(string tfName, string onnxName)
        {
            if (Resolve(tfName) is not DynValue v)
            {
                throw new NotSupportedException($"Output {tfName} is a constant; only computed tensors can be outputs.");
            }

            AddNode("Transpose", [v.Name], [onnxName], onnxName + "/to_nhwc", Ints("perm", 0, 2, 3, 1));
            Graph.Output.Add(ValueInfo(onnxName, v.Shape));
        }

        private Value Resolve(string input)
        {
            var colon = input.LastIndexOf(':');
            var name = input;
            if (colon > 0 && int.TryParse(input.AsSpan(colon + 1), out var index))
            {
                if (index != 0)
                {
                    throw new NotSupportedException($"Input {input}: only the first output of a node is supported.");
                }

                name = input[..colon];
            }

            if (_values.TryGetValue(name, out var known))
            {
                return known;
            }

            if (!model.Nodes.TryGetValue(name, out var node))
            {
                throw new InvalidDataException($"The graph has no node named {name}.");
            }

            if (!_visiting.Add(name))
            {
                throw new InvalidDataException($"The graph has a cycle through {name}.");
            }

            var value = ConvertNode(node);
            _visiting.Remove(name);
            _values[name] = value;
            return value;
        }

        private Value ConvertNode(TfNode node)
        {
            if (node.Op == "Const")
            {
                return model.Weights.TryGetValue(node.Name, out var w)
                    ? new ConstValue(w)
                    : throw new InvalidDataException($"Const {node.Name} has no entry in the weights manifest.");
            }

            if (node.Op == "Placeholder")
            {
                return ConvertPlaceholder(node);
            }

            var inputs = node.Inputs.Select(Resolve).ToArray();
            if (inputs.Length > 0 && inputs.All(i => i is ConstValue))
            {
                return new ConstValue(ConstantFolding.Fold(node, inputs.Select(i => ((ConstValue)i).Tensor).ToArray()));
            }

            return node.Op switch
            {
                "Identity" => inputs[0],
                "Conv2D" or "_FusedConv2D" => ConvertConv(node, inputs, depthwise: false),
                "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative" => ConvertConv(node, inputs, depthwise: true),
                "Add" or "AddV2" => ConvertBinary(node, "Add", inputs),
                "Sub" => ConvertBinary(node, "Sub", inputs),
                "Mul" => ConvertBinary(node, "Mul", inputs),
                "Relu" => Unary(T(node.Name), "Relu", Dyn(node, inputs[0])),
                "Sigmoid" => Unary(T(node.Name), "Sigmoid", Dyn(node, inputs[0])),
                "Relu6" => Relu6(T(node.Name), Dyn(node, inputs[0])),
                "Mean" => ConvertMean(node, inputs),
                "ConcatV2" => ConvertConcat(node, inputs),
                "ResizeBilinear" => ConvertResize(node, inputs),
                _ => throw new NotSupportedException($"TF op {node.Op} (node {node.Name}) is not supported by the converter."),
            };
        }

        private DynValue ConvertPlaceholder(TfNode node)
        {
            if (!options.Inputs.TryGetValue(node.Name, out var onnxName))
            {
                throw new InvalidDataException($"Placeholder {node.Name} is needed by the outputs but is not a declared input.");
            }

            var shape = node.ShapeAttribute("shape");
            if (shape.Length != 4)
            {
                throw new NotSupportedException($"Input {node.Name}: only 4-D NHWC inputs are supported (shape [{string.Join(',', shape)}]).");
            }

            shape[0] = -1;
            Graph.Input.Add(ValueInfo(onnxName, shape));
            var inner = T(node.Name) + "/nchw";
            AddNode("Transpose", [onnxName], [inner], inner, Ints("perm", 0, 3, 1, 2));
            return new DynValue(inner, shape);
        }

        private DynValue ConvertConv(TfNode node, Value[] inputs, bool depthwise)
        {
            var x = Dyn(node, inputs[0]);
            var filter = Const(node, inputs[1]);
            RequireNhwc(node);
            if (filter.Shape.Length != 4)
            {
                throw new InvalidDataException($"{node.Name}: filter must be 4-D (HWIO), got [{string.Join(',', filter.Shape)}].");
            }

            int kh = filter.Shape[0], kw = filter.Shape[1], ci = filter.Shape[2], co = filter.Shape[3];
            var strides = Spatial(node.IntListAttribute("strides"));
            var dilations = Spatial(node.IntListAttribute("dilations"));
            var padding = node.StringAttribute("padding") ?? "VALID";
            var (outH, padTop, padBottom) = ConvAxis(x.Shape[1], kh, strides.H, dilations.H, padding, node);
            var (outW, padLeft, padRight) = ConvAxis(x.Shape[2], kw, strides.W, dilations.W, padding, node);

            // TF HWIO → ONNX OIHW; depthwise [kh,kw,in,mult] → [in*mult,1,kh,kw] with group = in (TF output channel c*mult+m)
            var outChannels = depthwise ? ci * co : co;
            var weights = new float[outChannels * (depthwise ? 1 : ci) * kh * kw];
            var src = filter.Floats ?? throw new InvalidDataException($"{node.Name}: filter is not float.");
            for (var y = 0; y < kh; y++)
            {
                for (var xk = 0; xk < kw; xk++)
                {
                    for (var i = 0; i < ci; i++)
                    {
                        for (var o = 0; o < co; o++)
                        {
                            var value = src[(((((y * kw) + xk) * ci) + i) * co) + o];
                            var dst = depthwise
                                ? ((((i * co) + o) * kh) + y) * kw + xk
                                : ((((((o * ci) + i) * kh) + y) * kw) + xk);
                            weights[dst] = value;
                        }
                    }
                }
            }

            if (x.Shape[3] > 0 && x.Shape[3] != ci)
            {
                throw new InvalidDataException($"{node.Name}: input has {x.Shape[3]} channels but the filter expects {ci}.");
            }

            var weightName = AddInitializer(T(node.Name) + "/weights", [outChannels, depthwise ? 1 : ci, kh, kw], weights);
            var convInputs = new List<string> { x.Name, weightName };
            var fused = node.StringListAttribute("fused_ops");
            var activation = (string?)null;
            foreach (var op in fused)
            {
                switch (op)
                {
                    case "BiasAdd" when convInputs.Count == 2:
                        var bias = Const(node, inputs[2]);
                        if (bias.Length != outChannels)
                        {
                            throw new InvalidDataException($"{node.Name}: bias has {bias.Length} values for {outChannels} channels.");
                        }

                        convInputs.Add(AddInitializer(T(node.Name) + "/bias", [outChannels], bias.Floats!));
                        break;
                    case "Relu" or "Relu6" when activation is null:
                        activation = op;
                        break;
                    default:
                        throw new NotSupportedException($"{node.Name}: fused op sequence [{string.Join(',', fused)}] is not supported.");
                }
            }

            var attributes = new List<AttributeProto>
            {
                Ints("kernel_shape", kh, kw),
                Ints("strides", strides.H, strides.W),
                Ints("dilations", dilations.H, dilations.W),
                Ints("pads", padTop, padLeft, padBottom, padRight),
            };
            if (depthwise)
            {
                attributes.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = ci });
            }

            var shape = new[] { x.Shape[0], outH, outW, outChannels };
            var convOut = activation is null ? T(node.Name) : T(node.Name) + "/conv";
            AddNode("Conv", [.. convInputs], [convOut], convOut, [.. attributes]);
            var result = new DynValue(convOut, shape);
            return activation switch
            {
                "Relu" => Unary(T(node.Name), "Relu", result),
                "Relu6" => Relu6(T(node.Name), result),
                _ => result,
            };
        }

        /// <summary>Output size and (before, after) padding of one spatial axis, with TF's SAME rule (extra pad after).</summary>
        private static (int Out, int Before, int After) ConvAxis(int input, int kernel, int stride, int dilation, string padding, TfNode node)
        {
            var effective = ((kernel - 1) * dilation) + 1;
            switch (padding)
            {
                case "VALID":
                    return (((input - effective) / stride) + 1, 0, 0);
                case "SAME":
                    var output = (input + stride - 1) / stride;
                    var total = Math.Max(((output - 1) * stride) + effective - input, 0);
                    return (output, total / 2, total - (total / 2));
                default:
                    throw new NotSupportedException($"{node.Name}: padding {padding} is not supported.");
            }
        }

        private DynValue ConvertBinary(TfNode node, string onnxOp, Value[] inputs)
        {
            var names = new string[2];
            var shapes = new int[2][];
            for (var k = 0; k < 2; k++)
            {
                switch (inputs[k])
                {
                    case DynValue d:
                        names[k] = d.Name;
                        shapes[k] = d.Shape;
                        break;
                    case ConstValue c:
                        (names[k], shapes[k]) = ConstantAsNchw(node.Inputs[k], c.Tensor);
                        break;
                }
            }

            var shape = new int[4];
            for (var a = 0; a < 4; a++)
            {
                int p = shapes[0][a], q = shapes[1][a];
                shape[a] = p == 1 ? q : q == 1 ? p : p == -1 || q == -1 ? -1 : p == q ? p
                    : throw new InvalidDataException($"{node.Name}: shapes [{string.Join(',', shapes[0])}] and [{string.Join(',', shapes[1])}] do not broadcast.");
            }

            AddNode(onnxOp, names, [T(node.Name)], T(node.Name));
            return new DynValue(T(node.Name), shape);
        }

        /// <summary>A constant operand as an initializer that broadcasts against NCHW values (TF broadcasts from the last NHWC axis).</summary>
        private (string Name, int[] NhwcShape) ConstantAsNchw(string tfName, TfTensor tensor)
        {
            if (tensor.Shape.Length > 4)
            {
                throw new NotSupportedException($"Constant {tfName} has rank {tensor.Shape.Length}; at most 4 is supported.");
            }

            var nhwc = Enumerable.Repeat(1, 4 - tensor.Shape.Length).Concat(tensor.Shape).ToArray();
            var name = T(tfName) + "/nchw";
            if (_initializers.Contains(name))
            {
                return (name, nhwc);
            }

            if (tensor.Shape.Length == 0)
            {
                AddInitializer(name, [], [tensor.FloatAt(0)]);
                return (name, nhwc);
            }

            int n = nhwc[0], h = nhwc[1], w = nhwc[2], c = nhwc[3];
            var data = new float[tensor.Length];
            for (var b = 0; b < n; b++)
            {
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        for (var ch = 0; ch < c; ch++)
                        {
                            data[(((((b * c) + ch) * h) + y) * w) + x] = tensor.FloatAt((((((b * h) + y) * w) + x) * c) + ch);
                        }
                    }
                }
            }

            AddInitializer(name, [n, c, h, w], data);
            return (name, nhwc);
        }

        private DynValue ConvertMean(TfNode node, Value[] inputs)
        {
            var x = Dyn(node, inputs[0]);
            var axes = Const(node, inputs[1]);
            if (!node.BoolAttribute("keep_dims"))
            {
                throw new NotSupportedException($"{node.Name}: Mean without keep_dims is not supported (it would leave 4-D layout).");
            }

            var mapped = Enumerable.Range(0, axes.Length).Select(i => AxisToNchw[NormaliseAxis(axes.IntAt(i), node)]).Order().ToArray();
            var shape = (int[])x.Shape.Clone();
            foreach (var i in Enumerable.Range(0, axes.Length))
            {
                shape[NormaliseAxis(axes.IntAt(i), node)] = 1;
            }

            // opset 17: axes is an attribute (it becomes an input in opset 18)
            AddNode("ReduceMean", [x.Name], [T(node.Name)], T(node.Name), Ints("axes", mapped), new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            return new DynValue(T(node.Name), shape);
        }

        private DynValue ConvertConcat(TfNode node, Value[] inputs)
        {
            var axis = NormaliseAxis(Const(node, inputs[^1]).IntAt(0), node);
            var parts = inputs[..^1].Select(v => Dyn(node, v)).ToArray();
            var shape = (int[])parts[0].Shape.Clone();
            shape[axis] = parts.Any(p => p.Shape[axis] < 0) ? -1 : parts.Sum(p => p.Shape[axis]);
            AddNode("Concat", parts.Select(p => p.Name).ToArray(), [T(node.Name)], T(node.Name),
                new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = AxisToNchw[axis] });
            return new DynValue(T(node.Name), shape);
        }

        private DynValue ConvertResize(TfNode node, Value[] inputs)
        {
            var x = Dyn(node, inputs[0]);
            var size = Const(node, inputs[1]);
            if (size.Length != 2)
            {
                throw new InvalidDataException($"{node.Name}: size must be [height, width].");
            }

            // TF align_corners=false + half_pixel_centers=false maps output i to input i*in/out: ONNX "asymmetric", not the default.
            var mode = node.BoolAttribute("align_corners") ? "align_corners"
                : node.BoolAttribute("half_pixel_centers") ? "half_pixel"
                : "asymmetric";

            // A whole-number upscale becomes scales, not sizes: the graph then runs at any input size (a smaller first look in the
            // cascade), and for the declared size the result is the same because ONNX derives the scale as out/in.
            var (h, w) = (x.Shape[1], x.Shape[2]);
            if (h > 0 && w > 0 && size.IntAt(0) % h == 0 && size.IntAt(1) % w == 0)
            {
                var scales = AddInitializer(T(node.Name) + "/scales", [4], [1f, 1f, size.IntAt(0) / h, size.IntAt(1) / w]);
                AddNode("Resize", [x.Name, string.Empty, scales], [T(node.Name)], T(node.Name),
                    Str("mode", "linear"), Str("coordinate_transformation_mode", mode));
            }
            else
            {
                // sizes = [N, C] of the input (the batch is dynamic) followed by the constant [H, W]
                var leading = T(node.Name) + "/shape_nc";
                AddNode("Shape", [x.Name], [leading], leading,
                    new AttributeProto { Name = "start", Type = AttributeProto.Types.AttributeType.Int, I = 0 },
                    new AttributeProto { Name = "end", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
                var hw = AddInt64Initializer(T(node.Name) + "/size_hw", [size.IntAt(0), size.IntAt(1)]);
                var sizes = T(node.Name) + "/sizes";
                AddNode("Concat", [leading, hw], [sizes], sizes, new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
                AddNode("Resize", [x.Name, string.Empty, string.Empty, sizes], [T(node.Name)], T(node.Name),
                    Str("mode", "linear"), Str("coordinate_transformation_mode", mode));
            }

            return new DynValue(T(node.Name), [x.Shape[0], size.IntAt(0), size.IntAt(1), x.Shape[3]]);
        }

        private DynValue Unary(string name, string op, DynValue x)
        {
            AddNode(op, [x.Name], [name], name);
            return new DynValue(name, x.Shape);
        }

        private DynValue Relu6(string name, DynValue x)
        {
            var min = AddInitializer(T("relu6/min"), [], [0f]);
            var max = AddInitializer(T("relu6/max"), [], [6f]);
            AddNode("Clip", [x.Name, min, max], [name], name);
            return new DynValue(name, x.Shape);
        }

        /// <summary>Internal ONNX names are prefixed so they never collide with the caller's input and output names.</summary>
        private static string T(string tfName) => "tf:" + tfName;

        private static void RequireNhwc(TfNode node)
        {
            var format = node.StringAttribute("data_format");
            if (format is not null and not "NHWC")
            {
                throw new NotSupportedException($"{node.Name}: data_format {format} is not supported (NHWC only).");
            }
        }

        private static (int H, int W) Spatial(IReadOnlyList<int> values)
            => values.Count == 4 ? (values[1], values[2]) : values.Count == 0 ? (1, 1)
                : throw new InvalidDataException($"Expected 4 stride/dilation values, got {values.Count}.");

        private static int NormaliseAxis(int axis, TfNode node)
            => axis is >= -4 and < 4 ? (axis + 4) % 4 : throw new InvalidDataException($"{node.Name}: axis {axis} is out of range for 4-D tensors.");

        private static DynValue Dyn(TfNode node, Value v)
            => v as DynValue ?? throw new NotSupportedException($"{node.Name}: expected a computed input, got a constant.");

        private static TfTensor Const(TfNode node, Value v)
            => (v as ConstValue)?.Tensor ?? throw new NotSupportedException($"{node.Name}: expected a constant input (weights, axes or sizes).");

        private void AddNode(string op, string[] inputs, string[] outputs, string name, params AttributeProto[] attributes)
        {
            var n = new NodeProto { OpType = op, Name = name };
            n.Input.AddRange(inputs);
            n.Output.AddRange(outputs);
            n.Attribute.AddRange(attributes);
            Graph.Node.Add(n);
        }

        private string AddInitializer(string name, long[] dims, float[] data)
        {
            if (_initializers.Add(name))
            {
                var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
                t.Dims.AddRange(dims);
                t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
                Graph.Initializer.Add(t);
            }

            return name;
        }

        private string AddInt64Initializer(string name, long[] data)
        {
            if (_initializers.Add(name))
            {
                var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
                t.Dims.Add(data.Length);
                t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
                Graph.Initializer.Add(t);
            }

            return name;
        }

        private ValueInfoProto ValueInfo(string name, int[] nhwc)
        {
            var shape = new TensorShapeProto();
            for (var i = 0; i < nhwc.Length; i++)
            {
                // Height and width are symbolic too (the graph is fully convolutional); ONNX Runtime checks them at run time.
                shape.Dim.Add(nhwc[i] < 0 ? new TensorShapeProto.Types.Dimension { DimParam = options.BatchDimension }
                    : nhwc.Length == 4 && i is 1 or 2 ? new TensorShapeProto.Types.Dimension { DimParam = $"{name}_{(i == 1 ? "height" : "width")}" }
                    : new TensorShapeProto.Types.Dimension { DimValue = nhwc[i] });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            };
        }

        private static AttributeProto Ints(string name, params int[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            a.Ints.AddRange(values.Select(v => (long)v));
            return a;
        }

        private static AttributeProto Str(string name, string value)
            => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
    }
}
