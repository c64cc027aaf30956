using CatWrangler.TestSupport;

namespace CatWrangler.Detection.Tests.Detector;

/// <summary>Where the converted model is for detector and CLI tests.</summary>
internal static class DetectorModel
{
    public static string Directory => Path.Combine(RepoPaths.Root, "artifacts", "models");

    /// <summary>Skips the calling test when the model has not been built.</summary>
    public static void Require()
    {
        if (!File.Exists(Path.Combine(Directory, "centernet.onnx")))
        {
            Xunit.Assert.Skip($"The converted model is not in {Directory}.");
        }
    }

    /// <summary>Configuration overrides that point the CLI's composition root at the test model.</summary>
    public static Dictionary<string, string?> Overrides() => new()
    {
        ["CatWrangler:Detector:ModelDirectory"] = Directory,
        ["CatWrangler:Detector:IntraOpThreads"] = "1",
    };
}
