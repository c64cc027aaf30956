namespace CatWrangler.Detection.Onnx.Model;

/// <summary>
/// Where a detector model comes from: a file pair inside a pinned npm package, checked by SHA-256,
/// and how its TF graph is cut and named when converted.
/// </summary>
public sealed record ModelSource(
    string Version,
    string Package,
    string PackageVersion,
    string GraphEntry,
    string GraphSha256,
    string WeightsEntry,
    string WeightsSha256,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Outputs)
{
    public string PackageSpec => $"{Package}@{PackageVersion}";

    /// <summary>
    /// CenterNet (MobileNetV3-Large, COCO-80) from @vladmandic/human (MIT). The graph is cut before its post-processing:
    /// <c>images</c> [N,512,512,3] NHWC RGB 0..255 → <c>heatmap</c> [N,128,128,80] (sigmoid) and <c>wh</c> [N,128,128,4].
    /// </summary>
    public static ModelSource CenterNet { get; } = new(
        Version: "centernet-mnv3-human-3.3.6",
        Package: "@vladmandic/human",
        PackageVersion: "3.3.6",
        GraphEntry: "package/models/centernet.json",
        GraphSha256: "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05",
        WeightsEntry: "package/models/centernet.bin",
        WeightsSha256: "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef",
        Inputs: new Dictionary<string, string> { ["tower_0/images"] = "images" },
        Outputs: new Dictionary<string, string> { ["tower_0/keypoints"] = "heatmap", ["tower_0/wh"] = "wh" });
}
