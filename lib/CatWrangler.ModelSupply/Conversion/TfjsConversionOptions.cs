using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>Which TF tensors become the ONNX graph's inputs and outputs, and under which names.</summary>
public sealed record TfjsConversionOptions
{
    /// <summary>TF placeholder name → ONNX input name. Inputs are NHWC float; the batch dimension becomes dynamic.</summary>
    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    /// <summary>TF node name → ONNX output name. The graph is cut here: nodes not needed for these are dropped.</summary>
    public required IReadOnlyDictionary<string, string> Outputs { get; init; }

    /// <summary>Name of the symbolic batch dimension of every input and output.</summary>
    public string BatchDimension { get; init; } = "N";

    /// <summary>Free text stored in the model's <c>doc_string</c> (e.g. where the weights came from).</summary>
    public string? Description { get; init; }
}
