using System.Text.Json.Serialization;

namespace CatWrangler.Adapters.Aws;

internal sealed record DetectLabelsSettings(GeneralLabelsSettings GeneralLabels);
