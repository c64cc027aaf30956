namespace CatWrangler.ModelSupply.Conversion;

/// <summary>Evaluates nodes whose inputs are all constants at conversion time (shape arithmetic, quantised scalars).</summary>
internal static class ConstantFolding
{
    public static TfTensor Fold(TfNode node, TfTensor[] inputs) => node.Op switch
    {
        "Identity" => inputs[0],
        "Add" or "AddV2" => Elementwise(node, inputs, (a, b) => a + b, (a, b) => a + b),
        "Sub" => Elementwise(node, inputs, (a, b) => a - b, (a, b) => a - b),
        "Mul" => Elementwise(node, inputs, (a, b) => a * b, (a, b) => a * b),
        _ => throw new NotSupportedException($"TF op {node.Op} (node {node.Name}) has only constant inputs but cannot be folded."),
    };

    /// <summary>Same-shape or scalar broadcasting only: that is all the shape arithmetic in these graphs needs.</summary>
    private static TfTensor Elementwise(TfNode node, TfTensor[] inputs, Func<float, float, float> onFloats, Func<int, int, int> onInts)
    {
        var (a, b) = (inputs[0], inputs[1]);
        var shape = a.Length >= b.Length ? a.Shape : b.Shape;
        var length = Math.Max(a.Length, b.Length);
        if ((a.Length != length && a.Length != 1) || (b.Length != length && b.Length != 1))
        {
            throw new NotSupportedException($"{node.Name}: folding needs equal shapes or a scalar operand.");
        }

        if (a.IsFloat != b.IsFloat)
        {
            throw new InvalidDataException($"{node.Name}: operands have different element types.");
        }

        if (a.IsFloat)
        {
            var r = new float[length];
            for (var i = 0; i < length; i++)
            {
                r[i] = onFloats(a.Floats![a.Length == 1 ? 0 : i], b.Floats![b.Length == 1 ? 0 : i]);
            }

            return TfTensor.OfFloats(shape, r);
        }

        var ri = new int[length];
        for (var i = 0; i < length; i++)
        {
            ri[i] = onInts(a.Ints![a.Length == 1 ? 0 : i], b.Ints![b.Length == 1 ? 0 : i]);
        }

        return TfTensor.OfInts(shape, ri);
    }
}
