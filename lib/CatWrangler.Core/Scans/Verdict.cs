namespace CatWrangler.Core.Scans;

/// <summary>The answer. Box coordinates are pixels of the original (orientation-corrected) image.</summary>
public sealed record Verdict(
    bool IsCat,
    double Confidence,
    IReadOnlyList<BoundingBox> Boxes,
    IReadOnlyList<LabelScore> TopLabels,
    string DetectorId,
    string ModelVersion,
    double Threshold);
