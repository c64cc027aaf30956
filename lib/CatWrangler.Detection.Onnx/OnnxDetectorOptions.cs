namespace CatWrangler.Detection.Onnx;

/// <summary>Section <c>CatWrangler:Detector</c> (shared with <see cref="CatWrangler.Core.DetectorOptions"/>).</summary>
public sealed record OnnxDetectorOptions
{
    public const string Section = "CatWrangler:Detector";

    /// <summary>Where the converted model is cached (default <c>artifacts/models</c> under the repository or working folder).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>ONNX Runtime intra-op threads for the one session; 0 lets ONNX Runtime use every core.</summary>
    public int IntraOpThreads { get; init; } = 2;

    /// <summary>Test-time augmentation: <c>none</c>, <c>flip</c> (always), or <c>auto</c> (flip only near the threshold).</summary>
    public TtaMode Tta { get; init; } = TtaMode.Auto;

    /// <summary>With <see cref="TtaMode.Auto"/>: a second, mirrored pass runs when the cat score is within this distance of the threshold.</summary>
    public double TtaBand { get; init; } = 0.15;
}

public enum TtaMode { None, Flip, Auto }
