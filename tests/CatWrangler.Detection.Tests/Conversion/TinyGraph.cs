using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using CatWrangler.ModelSupply.Conversion;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CatWrangler.Detection.Tests.Conversion;

/// <summary>
/// Builds a small TFJS graph model in memory, the way tfjs-converter writes one: GraphDef nodes as JSON with base64
/// string attributes, float weights quantised to float16 and int32 weights raw, concatenated in manifest order.
/// </summary>
internal sealed class TinyGraph
{
    private readonly JsonArray nodes = [];
    private readonly JsonArray weightSpecs = [];
    private readonly MemoryStream weights = new();

    public string Input(string name, params int[] shape)
    {
        var dims = new JsonArray(shape.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray());
        nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = "Placeholder",
            ["attr"] = new JsonObject { ["shape"] = new JsonObject { ["shape"] = new JsonObject { ["dim"] = dims } }, ["dtype"] = new JsonObject { ["type"] = "DT_FLOAT" } },
        });
        return name;
    }

    /// <summary>A float constant stored as half floats (values should already be representable, see <see cref="Halves"/>).</summary>
    public string Const(string name, int[] shape, float[] values)
    {
        AddConstNode(name, "DT_FLOAT");
        weightSpecs.Add(new JsonObject
        {
            ["name"] = name,
            ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
            ["dtype"] = "float32",
            ["quantization"] = new JsonObject { ["dtype"] = "float16", ["original_dtype"] = "float32" },
        });
        Span<byte> two = stackalloc byte[2];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(two, BitConverter.HalfToUInt16Bits((Half)v));
            weights.Write(two);
        }

        return name;
    }

    public string IntConst(string name, int[] shape, params int[] values)
    {
        AddConstNode(name, "DT_INT32");
        weightSpecs.Add(new JsonObject { ["name"] = name, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["dtype"] = "int32" });
        Span<byte> four = stackalloc byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(four, v);
            weights.Write(four);
        }

        return name;
    }

    public string Node(string op, string name, string[] inputs, JsonObject? attr = null)
    {
        nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = op,
            ["input"] = new JsonArray(inputs.Select(i => (JsonNode)i).ToArray()),
            ["attr"] = attr ?? [],
        });
        return name;
    }

    public (byte[] Json, byte[] Weights) Build()
    {
        var root = new JsonObject
        {
            ["format"] = "graph-model",
            ["generatedBy"] = "test",
            ["convertedBy"] = "test",
            ["modelTopology"] = new JsonObject { ["node"] = nodes.DeepClone() },
            ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray("w.bin"), ["weights"] = weightSpecs.DeepClone() }),
        };
        return (Encoding.UTF8.GetBytes(root.ToJsonString()), weights.ToArray());
    }

    /// <summary>Converts with <paramref name="input"/> → "x" and <paramref name="output"/> → "y", runs ONNX Runtime, returns y.</summary>
    public (float[] Data, int[] Shape) Run(string input, string output, float[] x, params int[] xShape)
    {
        var (json, bin) = Build();
        var model = TfjsGraphConverter.Convert(TfjsGraphModel.Load(json, bin), new TfjsConversionOptions
        {
            Inputs = new Dictionary<string, string> { [input] = "x" },
            Outputs = new Dictionary<string, string> { [output] = "y" },
        });
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        var tensor = new DenseTensor<float>(x, xShape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", tensor)]);
        var y = results.Single().AsTensor<float>();
        return (y.ToArray(), y.Dimensions.ToArray());
    }

    // ---- attribute helpers (TFJS JSON encodes strings as base64, int64 as strings)
    public static JsonObject S(string value) => new() { ["s"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static JsonObject B(bool value) => new() { ["b"] = value };

    public static JsonObject IntList(params int[] values)
        => new() { ["list"] = new JsonObject { ["i"] = new JsonArray(values.Select(v => (JsonNode)v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()) } };

    public static JsonObject StrList(params string[] values)
        => new() { ["list"] = new JsonObject { ["s"] = new JsonArray(values.Select(v => (JsonNode)Convert.ToBase64String(Encoding.UTF8.GetBytes(v))).ToArray()) } };

    /// <summary>Conv attributes as TF writes them for NHWC.</summary>
    public static JsonObject ConvAttr(string padding, int stride, params string[] fusedOps)
    {
        var a = new JsonObject
        {
            ["padding"] = S(padding),
            ["data_format"] = S("NHWC"),
            ["strides"] = IntList(1, stride, stride, 1),
            ["dilations"] = IntList(1, 1, 1, 1),
        };
        if (fusedOps.Length > 0)
        {
            a["fused_ops"] = StrList(fusedOps);
            a["num_args"] = new JsonObject { ["i"] = "1" };
        }

        return a;
    }

    /// <summary>Deterministic values that survive the float16 round trip unchanged.</summary>
    public static float[] Halves(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(Half)((random.NextSingle() * 2f - 1f) * scale)).ToArray();
    }

    private void AddConstNode(string name, string dtype)
        => nodes.Add(new JsonObject { ["name"] = name, ["op"] = "Const", ["attr"] = new JsonObject { ["dtype"] = new JsonObject { ["type"] = dtype } } });
}
