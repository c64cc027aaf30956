using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record DetectLabelsResponse(IReadOnlyList<RekognitionLabel>? Labels, string? LabelModelVersion);
