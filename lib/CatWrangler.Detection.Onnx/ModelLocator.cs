namespace CatWrangler.Detection.Onnx;

/// <summary>The converted model on disk and the version string verdicts carry.</summary>
public sealed record ResolvedModel(string Path, string Version);

/// <summary>Where model provisioning reports what it is doing (the CLI prints it on stderr).</summary>
public interface IModelProgress
{
    void Report(string message);
}

internal sealed class SilentModelProgress : IModelProgress
{
    public void Report(string message)
    {
    }
}

/// <summary>Finds the converted model; provisioning itself is the converter's job.</summary>
internal static class ModelLocator
{
    public static ResolvedModel Resolve(OnnxDetectorOptions options, IModelProgress progress)
    {
        var dir = options.ModelDirectory ?? Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "models");
        var path = Path.Combine(dir, "centernet.onnx");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The cat detector model is missing: {path} does not exist.");
        }

        progress.Report($"model: {path}");
        return new ResolvedModel(path, "centernet-human-3.3.6");
    }
}
