namespace CatWrangler.Core.Scans;

public sealed record ScanDebug
{
    /// <summary>Per-stage timings in milliseconds (e.g. download, decode, preprocess, inference, total).</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();
    /// <summary>E.g. "512x512 letterbox".</summary>
    public string? ModelInput { get; init; }
    /// <summary>Raw top-k class scores before thresholding.</summary>
    public IReadOnlyList<LabelScore> RawTopScores { get; init; } = [];
    /// <summary>
    /// The one cap on a detector's raw response (characters), applied wherever debug data is made or read back, so scan
    /// records stay small (a DynamoDB item holds at most 400 KB).
    /// </summary>
    public const int MaxDetectorRawChars = 16 * 1024;

    /// <summary>Marks a raw response cut at <see cref="MaxDetectorRawChars"/>.</summary>
    public const string TruncatedMarker = "…[truncated]";

    /// <summary>A detector's raw response (e.g. Rekognition JSON), cut to <see cref="MaxDetectorRawChars"/>.</summary>
    public string? DetectorRaw
    {
        get;
        init => field = value is { Length: > MaxDetectorRawChars } ? string.Concat(value.AsSpan(0, MaxDetectorRawChars), TruncatedMarker) : value;
    }
    public IReadOnlyList<AttemptRecord> AttemptLog { get; init; } = [];
}
