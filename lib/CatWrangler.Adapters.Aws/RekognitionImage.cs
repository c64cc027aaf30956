using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record RekognitionImage
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Bytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public S3Location? S3Object { get; init; }
}
