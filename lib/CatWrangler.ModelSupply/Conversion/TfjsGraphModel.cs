using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>A parsed TFJS <c>graph-model</c>: nodes by name and decoded constant weights by name.</summary>
public sealed class TfjsGraphModel
{
    private TfjsGraphModel(Dictionary<string, TfNode> nodes, Dictionary<string, TfTensor> weights)
    {
        Nodes = nodes;
        Weights = weights;
    }

    public IReadOnlyDictionary<string, TfNode> Nodes { get; }

    public IReadOnlyDictionary<string, TfTensor> Weights { get; }

    /// <summary>Parses the model JSON and the concatenated weight bytes (all <c>paths</c> of the manifest, in order).</summary>
    public static TfjsGraphModel Load(ReadOnlySpan<byte> modelJson, ReadOnlySpan<byte> weightData)
    {
        using var doc = JsonDocument.Parse(modelJson.ToArray());
        var root = doc.RootElement;
        if (!root.TryGetProperty("format", out var format) || format.GetString() != "graph-model")
        {
            throw new InvalidDataException("Not a TFJS graph model: \"format\" is not \"graph-model\".");
        }

        var nodes = new Dictionary<string, TfNode>(StringComparer.Ordinal);
        foreach (var n in root.GetProperty("modelTopology").GetProperty("node").EnumerateArray())
        {
            var name = n.GetProperty("name").GetString()!;
            var inputs = n.TryGetProperty("input", out var ins)
                ? ins.EnumerateArray().Select(i => i.GetString()!).Where(i => !i.StartsWith('^')).ToArray()
                : [];
            var attrs = n.TryGetProperty("attr", out var a) ? a.Clone() : default;
            nodes[name] = new TfNode(name, n.GetProperty("op").GetString()!, inputs, attrs);
        }

        var weights = new Dictionary<string, TfTensor>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var group in root.GetProperty("weightsManifest").EnumerateArray())
        {
            foreach (var w in group.GetProperty("weights").EnumerateArray())
            {
                var name = w.GetProperty("name").GetString()!;
                var shape = w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var count = shape.Aggregate(1, (x, y) => checked(x * y));
                var dtype = w.GetProperty("dtype").GetString();
                var quantDtype = w.TryGetProperty("quantization", out var q) ? q.GetProperty("dtype").GetString() : null;
                (var tensor, var size) = DecodeWeight(name, dtype, quantDtype, shape, count, weightData[offset..]);
                weights[name] = tensor;
                offset += size;
            }
        }

        if (offset != weightData.Length)
        {
            throw new InvalidDataException($"Weights manifest describes {offset} bytes but the weight data has {weightData.Length}.");
        }

        return new TfjsGraphModel(nodes, weights);
    }

    private static (TfTensor Tensor, int Size) DecodeWeight(string name, string? dtype, string? quantDtype, int[] shape, int count, ReadOnlySpan<byte> data)
    {
        var elementSize = quantDtype switch
        {
            null => 4,
            "float16" => 2,
            _ => throw new NotSupportedException($"Weight {name}: quantization {quantDtype} is not supported (only float16)."),
        };
        var size = checked(count * elementSize);
        if (data.Length < size)
        {
            throw new InvalidDataException($"Weight {name} needs {size} bytes but only {data.Length} remain.");
        }

        var bytes = data[..size];
        switch (dtype)
        {
            case "float32" when quantDtype == "float16":
                var halves = new float[count];
                for (var i = 0; i < count; i++)
                {
                    // Exact widening: keeps -inf and the stored (quantised) value, e.g. 0.166626 for 1/6.
                    halves[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]));
                }

                return (TfTensor.OfFloats(shape, halves), size);
            case "float32":
                var floats = new float[count];
                for (var i = 0; i < count; i++)
                {
                    floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                return (TfTensor.OfFloats(shape, floats), size);
            case "int32" when quantDtype is null:
                var ints = new int[count];
                for (var i = 0; i < count; i++)
                {
                    ints[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
                }

                return (TfTensor.OfInts(shape, ints), size);
            default:
                throw new NotSupportedException($"Weight {name}: dtype {dtype} (quantization {quantDtype ?? "none"}) is not supported.");
        }
    }
}
