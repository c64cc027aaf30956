using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record DetectLabelsRequest
{
    public required RekognitionImage Image { get; init; }
    public double MinConfidence { get; init; }
    public IReadOnlyList<string>? Features { get; init; }
    public DetectLabelsSettings? Settings { get; init; }
}

internal sealed record RekognitionImage
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Bytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public S3Location? S3Object { get; init; }
}

internal sealed record S3Location(string Bucket, string Name);

internal sealed record DetectLabelsSettings(GeneralLabelsSettings GeneralLabels);

internal sealed record GeneralLabelsSettings(IReadOnlyList<string> LabelInclusionFilters);

internal sealed record DetectLabelsResponse(IReadOnlyList<RekognitionLabel>? Labels, string? LabelModelVersion);

internal sealed record RekognitionLabel(string? Name, double Confidence, IReadOnlyList<RekognitionInstance>? Instances);

internal sealed record RekognitionInstance(RekognitionBox? BoundingBox, double Confidence);

/// <summary>Rekognition's JSON uses PascalCase names, the default of System.Text.Json.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(DetectLabelsRequest))]
[JsonSerializable(typeof(DetectLabelsResponse))]
internal sealed partial class RekognitionJson : JsonSerializerContext;
