namespace CatWrangler.Core.Scans;

public sealed record ScanDebug
{
    /// <summary>Per-stage timings in milliseconds (e.g. download, decode, preprocess, inference, total).</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();
    /// <summary>E.g. "512x512 letterbox".</summary>
    public string? ModelInput { get; init; }
    /// <summary>Raw top-k class scores before thresholding.</summary>
    public IReadOnlyList<LabelScore> RawTopScores { get; init; } = [];
    /// <summary>A detector's raw response (e.g. Rekognition JSON), capped in size.</summary>
    public string? DetectorRaw { get; init; }
    public IReadOnlyList<AttemptRecord> AttemptLog { get; init; } = [];
}
