using System.Buffers;

namespace CatWrangler.Detection.Onnx;

/// <summary>
/// Pooled copies of one run's outputs for <see cref="Batch"/> images on a <see cref="Grid"/>² heatmap (rented arrays may be
/// longer than the tensors). Dispose returns them to the pool.
/// </summary>
public sealed class CenterNetOutputs : IDisposable
{
    private float[]? heatmap;
    private float[]? wh;

    private CenterNetOutputs(float[] heatmap, float[] wh, int batch, int grid)
    {
        this.heatmap = heatmap;
        this.wh = wh;
        Batch = batch;
        Grid = grid;
    }

    public int Batch { get; }

    /// <summary>Heatmap cells per side: the input side / <see cref="CenterNetDecoder.Stride"/>.</summary>
    public int Grid { get; }

    public int HeatmapLength => Grid * Grid * CenterNetDecoder.Classes;

    public int WhLength => Grid * Grid * 4;

    /// <summary>Rents buffers sized for <paramref name="batch"/> images of side <paramref name="size"/>; fill them through the spans.</summary>
    public static CenterNetOutputs Rent(int batch, int size)
    {
        var grid = size / CenterNetDecoder.Stride;
        return new CenterNetOutputs(
            ArrayPool<float>.Shared.Rent(batch * grid * grid * CenterNetDecoder.Classes),
            ArrayPool<float>.Shared.Rent(batch * grid * grid * 4),
            batch,
            grid);
    }

    public Span<float> AllHeatmaps => Live(heatmap).AsSpan(0, Batch * HeatmapLength);

    public Span<float> AllWh => Live(wh).AsSpan(0, Batch * WhLength);

    public Span<float> Heatmap(int item) => AllHeatmaps.Slice(item * HeatmapLength, HeatmapLength);

    public Span<float> Wh(int item) => AllWh.Slice(item * WhLength, WhLength);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref heatmap, null) is { } h)
        {
            ArrayPool<float>.Shared.Return(h);
        }

        if (Interlocked.Exchange(ref wh, null) is { } w)
        {
            ArrayPool<float>.Shared.Return(w);
        }
    }

    private static float[] Live(float[]? buffer) => buffer ?? throw new ObjectDisposedException(nameof(CenterNetOutputs));
}
