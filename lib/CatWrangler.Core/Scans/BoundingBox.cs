namespace CatWrangler.Core.Scans;

public sealed record BoundingBox(double X, double Y, double Width, double Height, double Score);
