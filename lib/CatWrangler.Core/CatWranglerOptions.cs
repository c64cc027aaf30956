namespace CatWrangler.Core;

/// <summary>Root options (section <c>CatWrangler</c>). Sub-areas bind their own sections.</summary>
public sealed record CatWranglerOptions
{
    public const string Section = "CatWrangler";

    /// <summary><c>local</c> (default: files, SQLite, ONNX) or <c>aws</c>.</summary>
    public string Platform { get; init; } = "local";

    /// <summary>Embedded data folder.</summary>
    public string DataPath { get; init; } = "./data";

    /// <summary>How long scans and images are kept.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>Section <c>CatWrangler:Detector</c>.</summary>
public sealed record DetectorOptions
{
    public const string Section = "CatWrangler:Detector";

    /// <summary><c>onnx</c> (default) or <c>rekognition</c>.</summary>
    public string Kind { get; init; } = "onnx";

    /// <summary>Decision threshold; null means the detector's own calibrated default.</summary>
    public double? Threshold { get; init; }
}
