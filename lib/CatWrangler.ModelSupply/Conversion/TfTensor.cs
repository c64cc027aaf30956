using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>A constant tensor from the TFJS weights: float32 (possibly decoded from half floats) or int32.</summary>
public sealed record TfTensor(int[] Shape, float[]? Floats, int[]? Ints)
{
    public bool IsFloat => Floats is not null;

    public int Length => Floats?.Length ?? Ints!.Length;

    public static TfTensor OfFloats(int[] shape, float[] values) => new(shape, values, null);

    public static TfTensor OfInts(int[] shape, int[] values) => new(shape, null, values);

    public float FloatAt(int i) => Floats is not null ? Floats[i] : Ints![i];

    public int IntAt(int i) => Ints is not null ? Ints[i] : checked((int)Floats![i]);
}
