using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace CatWrangler.ModelSupply.Conversion;

/// <summary>
/// Observes the range of intermediate tensors of a float model: the tensors are exposed as extra graph outputs and the
/// model is run on sample inputs (one at a time, so memory stays at one run's activations).
/// </summary>
public sealed class ActivationCalibrator : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string[] tensors;
    private readonly float[] min;
    private readonly float[] max;

    private readonly double percentile;

    /// <param name="percentile">
    /// Per run, the range kept is this percentile of the values at each end (100: the true min and max). A few extreme
    /// activations would otherwise widen the quantisation step for all the others.
    /// </param>
    public ActivationCalibrator(ModelProto model, IReadOnlyList<string> tensors, double percentile = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 50);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        this.percentile = percentile;
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        var exposed = model.Clone();
        var existing = exposed.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Where(t => !existing.Contains(t)))
        {
            exposed.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, EnableMemoryPattern = false };
        session = new InferenceSession(exposed.ToByteArray(), options);
        inputName = exposed.Graph.Input[0].Name;
        this.tensors = [.. tensors];
        min = Enumerable.Repeat(float.PositiveInfinity, this.tensors.Length).ToArray();
        max = Enumerable.Repeat(float.NegativeInfinity, this.tensors.Length).ToArray();
    }

    /// <summary>Number of inputs observed so far.</summary>
    public int Samples { get; private set; }

    /// <summary>Runs one input (the model's first input, float) and widens every tensor's range to what it produced.</summary>
    public void Observe(float[] input, long[] shape)
    {
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = session.Run(runOptions, [inputName], [value], tensors);
        for (var i = 0; i < tensors.Length; i++)
        {
            var (low, high) = Bounds(outputs[i].GetTensorDataAsSpan<float>());
            min[i] = Math.Min(min[i], low);
            max[i] = Math.Max(max[i], high);
        }

        Samples++;
    }

    /// <summary>The percentile bounds, estimated on an evenly strided sample of at most 2^18 values (exact min and max at 100).</summary>
    private (float Low, float High) Bounds(ReadOnlySpan<float> values)
    {
        if (percentile >= 100)
        {
            return (System.Numerics.Tensors.TensorPrimitives.Min(values), System.Numerics.Tensors.TensorPrimitives.Max(values));
        }

        var stride = Math.Max(1, values.Length >> 18);
        var sample = new float[(values.Length + stride - 1) / stride];
        for (int i = 0, j = 0; i < values.Length; i += stride, j++)
        {
            sample[j] = values[i];
        }

        Array.Sort(sample);
        var tail = (int)Math.Floor((100 - percentile) / 100 * (sample.Length - 1));
        return (sample[tail], sample[sample.Length - 1 - tail]);
    }

    /// <summary>The observed range of every tensor: the widest per-run bounds.</summary>
    public IReadOnlyDictionary<string, ActivationRange> Ranges()
    {
        if (Samples == 0)
        {
            throw new InvalidOperationException("No input observed yet.");
        }

        return tensors.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => new ActivationRange(min[p.i], max[p.i]), StringComparer.Ordinal);
    }

    public void Dispose() => session.Dispose();
}
