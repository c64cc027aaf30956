using CatWrangler.Detection.Onnx;

namespace CatWrangler.Detection.Tests.Detector;

/// <summary>
/// Test double for the network: returns the next scripted cat score for each image of each run (as a single cat peak
/// in the middle of the heatmap) and records every run's size, batch and input.
/// </summary>
internal sealed class ScriptedCenterNetModel(params float[] scores) : ICenterNetModel
{
    private readonly Queue<float> scores = new(scores);

    public List<(int Size, int Batch, float[] Input)> Runs { get; } = [];

    public CenterNetOutputs Run(ReadOnlyMemory<float> input, int batch, int size)
    {
        Runs.Add((size, batch, input[..(batch * size * size * 3)].ToArray()));
        var outputs = CenterNetOutputs.Rent(batch, size);
        outputs.AllHeatmaps.Clear();
        outputs.AllWh.Fill(8);
        for (var item = 0; item < batch; item++)
        {
            var middle = ((outputs.Grid / 2 * outputs.Grid) + (outputs.Grid / 2)) * CenterNetDecoder.Classes;
            outputs.Heatmap(item)[middle + CocoLabels.Cat] = scores.Dequeue();
        }

        return outputs;
    }

    public void Dispose()
    {
    }
}
