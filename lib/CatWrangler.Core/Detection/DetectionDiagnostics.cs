using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Detection;

public sealed record DetectionDiagnostics
{
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();
    public string? ModelInput { get; init; }
    public IReadOnlyList<LabelScore> RawTopScores { get; init; } = [];
    public string? RawResponse { get; init; }
}
