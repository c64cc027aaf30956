using CatWrangler.Detection.Onnx.Model;

namespace CatWrangler.Detection.Onnx;

/// <summary>The converted model on disk and the version string verdicts carry.</summary>
public sealed record ResolvedModel(string Path, string Version);

/// <summary>Where model provisioning reports what it is doing (the CLI prints it on stderr).</summary>
public interface IModelProgress : IProgress<string>
{
}

internal sealed class SilentModelProgress : IModelProgress
{
    public void Report(string value)
    {
    }
}

/// <summary>Finds the converted model, building it on first use (see <see cref="ModelProvisioner"/>).</summary>
internal static class ModelLocator
{
    public static ResolvedModel Resolve(OnnxDetectorOptions options, IModelProgress progress)
        => new ModelProvisioner(options).EnsureAsync(progress).GetAwaiter().GetResult();
}
