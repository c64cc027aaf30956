using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.Detection.Tests.Imaging;
using SkiaSharp;
using Xunit;

namespace CatWrangler.Detection.Tests.Detector;

/// <summary>The cascade and the batched extra views, on a scripted network (no model needed): which views run, and how they vote.</summary>
public sealed class CascadeTests
{
    private const float Low = 0.05f;
    private const float High = 0.40f;

    // Asymmetric, so its mirror differs from it.
    private static readonly byte[] Photo = EncodedImages.Encode(96, 64, (x, y) => new SKColor((byte)(x * 2), (byte)(y * 3), 40), SKEncodedImageFormat.Png);

    private static readonly OnnxDetectorOptions Options = new() { FirstLookSize = 320, FirstLookLow = Low, FirstLookHigh = High, TtaLow = 0.02, TtaHigh = 0.40 };

    [Theory]
    [InlineData(Low - 0.001f, false)]
    [InlineData(0f, false)]
    [InlineData(High + 0.001f, true)]
    [InlineData(0.97f, true)]
    public void First_look_outside_the_bands_decides_alone(float firstLook, bool isCat)
    {
        var model = new ScriptedCenterNetModel(firstLook);
        using var detector = Detector(model);

        var result = detector.Detect(Photo);

        Assert.Equal([(320, 1)], model.Runs.Select(r => (r.Size, r.Batch)));
        Assert.Equal(isCat, result.Verdict.IsCat);
        Assert.Equal(Math.Round(firstLook, 4), result.Verdict.Confidence);
        Assert.Equal(isCat, result.Verdict.Boxes.Count == 1);
        Assert.StartsWith("320x320 letterbox", result.Diagnostics.ModelInput);
    }

    [Theory]
    [InlineData(Low + 0.001f, 0.9f, true)]
    [InlineData(High - 0.001f, 0.01f, false)]
    [InlineData(0.2f, 0.5f, true)]
    public void First_look_inside_the_bands_hands_over_to_the_full_resolution_view(float firstLook, float full, bool isCat)
    {
        var model = new ScriptedCenterNetModel(firstLook, full);
        using var detector = Detector(model);

        var result = detector.Detect(Photo);

        Assert.Equal([(320, 1), (512, 1)], model.Runs.Select(r => (r.Size, r.Batch)));
        Assert.Equal(isCat, result.Verdict.IsCat);
        Assert.Equal(Math.Round(full, 4), result.Verdict.Confidence);
        Assert.StartsWith("512x512 letterbox", result.Diagnostics.ModelInput);
    }

    [Theory]
    [InlineData(0.35f, 0.10f, true)] // the mirror carries the vote
    [InlineData(0.10f, 0.35f, true)] // the zoomed-out view carries the vote
    [InlineData(0.10f, 0.10f, false)]
    public void Inconclusive_reference_view_adds_mirror_and_zoomed_out_views_in_one_batch_and_all_three_vote(float mirror, float zoomedOut, bool isCat)
    {
        const float reference = 0.1f;
        var model = new ScriptedCenterNetModel(0.2f, reference, mirror, zoomedOut);
        using var detector = Detector(model);

        var result = detector.Detect(Photo);

        Assert.Equal([(320, 1), (512, 1), (512, 2)], model.Runs.Select(r => (r.Size, r.Batch)));
        Assert.Equal(isCat, result.Verdict.IsCat);
        Assert.Equal(Math.Round((reference + mirror + zoomedOut) / 3, 4), result.Verdict.Confidence);

        // The batch is the mirror of the reference input, then the zoomed-out letterbox of the same pixels.
        const int length = 512 * 512 * 3;
        var referenceInput = model.Runs[1].Input;
        var mirrored = referenceInput.ToArray();
        Letterbox.MirrorHorizontally(mirrored, 512);
        var zoomed = new float[length];
        using (var image = new ImageDecoder(new ImageLimits()).Decode(Photo, 512))
        {
            Letterbox.Fill(image.Rgb, image.Width, image.Height, 512, zoomed, OnnxCatDetector.ZoomedOutSize);
        }

        Assert.NotEqual(referenceInput, mirrored);
        Assert.Equal(mirrored, model.Runs[2].Input[..length]);
        Assert.Equal(zoomed, model.Runs[2].Input[length..]);
    }

    [Fact]
    public void Bands_never_contradict_the_threshold()
    {
        // A configured threshold above the high band: a first look of 0.45 is not enough to say "cat" on its own.
        var model = new ScriptedCenterNetModel(0.45f, 0.9f);
        using var detector = new OnnxCatDetector(model, "scripted", Options, new ImageDecoder(new ImageLimits()), threshold: 0.5);

        var result = detector.Detect(Photo);

        Assert.Equal(2, model.Runs.Count);
        Assert.True(result.Verdict.IsCat);
    }

    [Fact]
    public void Cascade_off_starts_at_full_resolution()
    {
        var model = new ScriptedCenterNetModel(0.9f);
        using var detector = new OnnxCatDetector(model, "scripted", Options with { FirstLookSize = 0 }, new ImageDecoder(new ImageLimits()));

        Assert.True(detector.Detect(Photo).Verdict.IsCat);
        Assert.Equal([(512, 1)], model.Runs.Select(r => (r.Size, r.Batch)));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(512)]
    [InlineData(-32)]
    public void First_look_size_must_be_a_multiple_of_32_below_the_full_size(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxCatDetector(new ScriptedCenterNetModel(), "scripted", Options with { FirstLookSize = size }, new ImageDecoder(new ImageLimits())));
    }

    private static OnnxCatDetector Detector(ScriptedCenterNetModel model) => new(model, "scripted", Options, new ImageDecoder(new ImageLimits()));
}
