namespace CatWrangler.Adapters.Aws;

/// <summary>A DetectLabels bounding box: ratios of the upright image's width and height.</summary>
public sealed record RekognitionBox(double Width, double Height, double Left, double Top);
