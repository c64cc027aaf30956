namespace CatWrangler.Detection.Onnx;

/// <summary>
/// The network behind <see cref="OnnxCatDetector"/>: a batch of square NHWC RGB 0..255 images of any side that is a multiple
/// of 32 in, the CenterNet heatmap and box extents (stride 4) out. Must be safe to call from several threads at once.
/// </summary>
public interface ICenterNetModel : IDisposable
{
    /// <param name="input"><paramref name="batch"/> images of <paramref name="size"/>² × 3 floats, one after another.</param>
    CenterNetOutputs Run(ReadOnlyMemory<float> input, int batch, int size);
}
