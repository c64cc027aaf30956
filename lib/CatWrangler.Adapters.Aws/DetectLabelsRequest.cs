using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record DetectLabelsRequest
{
    public required RekognitionImage Image { get; init; }
    public double MinConfidence { get; init; }
    public IReadOnlyList<string>? Features { get; init; }
    public DetectLabelsSettings? Settings { get; init; }
}
