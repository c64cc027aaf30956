using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Detection.Onnx;

/// <summary>
/// The ONNX detector's keys of section <c>CatWrangler:Detector</c>. The section's owner is
/// <see cref="CatWrangler.Core.DetectorOptions"/> (<c>Kind</c>, <c>Threshold</c>, for every detector); these keys mean
/// something to the ONNX detector only, and no key is in both.
/// </summary>
public sealed record OnnxDetectorOptions
{
    public const string Section = CatWrangler.Core.DetectorOptions.Section;

    /// <summary>Where the converted model is cached (default <c>$XDG_CACHE_HOME/catwrangler/models</c>, else <c>~/.cache/catwrangler/models</c>).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>
    /// ONNX Runtime intra-op threads for the one session; 0 lets ONNX Runtime use every core. One thread per image, with
    /// <see cref="InferenceThreads"/> images at once, measured faster end to end on two cores than two threads per image
    /// (docs/results/load.md) and leaves a core to the accept path while one image is classified.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Images classified at once by <see cref="OnnxCatDetector.DetectAsync"/>; more calls wait their turn.</summary>
    [Range(1, int.MaxValue)]
    public int InferenceThreads { get; init; } = 2;

    /// <summary>
    /// Classify at idle CPU priority (Linux <c>SCHED_IDLE</c>), so uploads accepted in the same process keep the cores they
    /// need while a backlog is classified. Costs nothing on an idle machine. <c>catscan serve</c> turns it on.
    /// </summary>
    public bool BackgroundPriority { get; init; }

    /// <summary>
    /// Test-time augmentation: <c>Auto</c> (default) adds a mirrored and a zoomed-out view only when the first view's cat score
    /// is inconclusive (between <see cref="TtaLow"/> and <see cref="TtaHigh"/>); <c>Always</c> runs all three views;
    /// <c>None</c> decides on the first view alone.
    /// </summary>
    [EnumDataType(typeof(TtaMode))]
    public TtaMode Tta { get; init; } = TtaMode.Auto;

    /// <summary>Below this first-view cat score the answer is "no cat" without more views.</summary>
    [Range(0.0, 1.0)]
    public double TtaLow { get; init; } = 0.02;

    /// <summary>Above this first-view cat score the answer is "cat" without more views.</summary>
    [Range(0.0, 1.0)]
    public double TtaHigh { get; init; } = 0.40;

    /// <summary>
    /// Side of the cheap first look (a smaller letterbox through the same fully convolutional graph, a multiple of 32); 0 turns
    /// the cascade off. Images whose first-look score falls outside [<see cref="FirstLookLow"/>, <see cref="FirstLookHigh"/>]
    /// are decided there; the rest get the full-resolution view (and the extra views when that is inconclusive).
    /// Not used with <see cref="TtaMode.Always"/>.
    /// </summary>
    [Range(0, 4096)]
    public int FirstLookSize { get; init; } = 384;

    /// <summary>Below this first-look cat score the answer is "no cat". Cross-validated on the public eval set (docs/detector.md).</summary>
    [Range(0.0, 1.0)]
    public double FirstLookLow { get; init; } = 0.04;

    /// <summary>Above this first-look cat score the answer is "cat". Cross-validated on the public eval set (docs/detector.md).</summary>
    [Range(0.0, 1.0)]
    public double FirstLookHigh { get; init; } = 0.31;
}
