using CatWrangler.Detection.Onnx.Model;
using CatWrangler.TestSupport;

namespace CatWrangler.Detection.Tests.Detector;

/// <summary>The converted model for detector and CLI tests, built by the test run itself on first use (then cached).</summary>
internal static class DetectorModel
{
    private static readonly Lazy<string> ModelPath = new(() =>
        new ModelProvisioner(Directory).EnsureAsync().GetAwaiter().GetResult().Path);

    public static string Directory => Path.Combine(RepoPaths.Root, "artifacts", "models");

    /// <summary>Path of the .onnx file, provisioning it when missing.</summary>
    public static string OnnxPath => ModelPath.Value;

    /// <summary>Configuration overrides that point the CLI's composition root at the test model.</summary>
    public static Dictionary<string, string?> Overrides()
    {
        _ = ModelPath.Value;
        return new()
        {
            ["CatWrangler:Detector:ModelDirectory"] = Directory,
            ["CatWrangler:Detector:IntraOpThreads"] = "1",
        };
    }
}
