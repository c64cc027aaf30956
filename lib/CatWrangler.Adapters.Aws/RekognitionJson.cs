using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

/// <summary>Rekognition's JSON uses PascalCase names, the default of System.Text.Json.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(DetectLabelsRequest))]
[JsonSerializable(typeof(DetectLabelsResponse))]
internal sealed partial class RekognitionJson : JsonSerializerContext;
