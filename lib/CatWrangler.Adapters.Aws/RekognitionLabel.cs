using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record RekognitionLabel(string? Name, double Confidence, IReadOnlyList<RekognitionInstance>? Instances);
