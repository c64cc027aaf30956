using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Core;

/// <summary>Section <c>CatWrangler:Detector</c>.</summary>
public sealed record DetectorOptions
{
    public const string Section = "CatWrangler:Detector";

    /// <summary><c>Onnx</c> (default) or <c>Rekognition</c>; bound case-insensitively.</summary>
    [EnumDataType(typeof(DetectorKind))]
    public DetectorKind Kind { get; init; } = DetectorKind.Onnx;

    /// <summary>Decision threshold; null means the detector's own calibrated default.</summary>
    [Range(0.0, 1.0)]
    public double? Threshold { get; init; }
}
