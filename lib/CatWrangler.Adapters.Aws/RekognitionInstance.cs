using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record RekognitionInstance(RekognitionBox? BoundingBox, double Confidence);
