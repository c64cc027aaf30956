namespace CatWrangler.Core.Scans;

public sealed record LabelScore(string Label, double Score);
