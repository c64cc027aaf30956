namespace CatWrangler.Core;

/// <summary>Which classifier the processor uses (<c>CatWrangler:Detector:Kind</c>).</summary>
public enum DetectorKind
{
    /// <summary>The local ONNX CenterNet model (the default).</summary>
    Onnx,

    /// <summary>Amazon Rekognition DetectLabels.</summary>
    Rekognition,
}
