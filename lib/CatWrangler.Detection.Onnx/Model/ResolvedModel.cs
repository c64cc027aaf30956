namespace CatWrangler.Detection.Onnx.Model;

/// <summary>The converted model on disk and the version string verdicts carry.</summary>
public sealed record ResolvedModel(string Path, string Version);
