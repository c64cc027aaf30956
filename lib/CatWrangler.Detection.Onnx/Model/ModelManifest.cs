namespace CatWrangler.Detection.Onnx.Model;

/// <summary>Written beside the cached .onnx: what it was built from and by which converter revision.</summary>
public sealed record ModelManifest(
    string Version,
    string PackageSpec,
    string GraphSha256,
    string WeightsSha256,
    string OnnxSha256,
    long OnnxBytes,
    int ConverterRevision,
    int Opset,
    DateTimeOffset CreatedUtc);
