namespace CatWrangler.Adapters.Aws;

/// <summary>Where DetectLabels is sent and the region its signature is scoped to.</summary>
public sealed record RekognitionEndpoint(Uri Uri, string Region);
