using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.Detection.Tests.Imaging;
using CatWrangler.TestSupport;
using SkiaSharp;
using Xunit;

namespace CatWrangler.Detection.Tests.Detector;

/// <summary>The real model on a few labelled photos from ../shared/eval (skipped when that folder is absent).</summary>
public sealed class OnnxCatDetectorTests : IClassFixture<OnnxCatDetectorTests.Loaded>
{
    private readonly OnnxCatDetector detector;

    private readonly ModelFixture model;

    public OnnxCatDetectorTests(ModelFixture model, Loaded loaded)
    {
        this.model = model;
        detector = loaded.For(model);
    }

    [Theory]
    [InlineData("cat_0004.jpg")]
    [InlineData("cat_0140.jpg")]
    [InlineData("cat_0040.png")]
    [InlineData("cat_0209.jpg")]
    public async Task Cat_photo_is_a_cat_with_a_box_inside_the_image(string file)
    {
        var (bytes, check) = Load(file);

        var result = await detector.DetectAsync(new ImageContent(bytes, check.Format, check.Width, check.Height), TestContext.Current.CancellationToken);

        var v = result.Verdict;
        Assert.True(v.IsCat, $"{file}: cat score {v.Confidence}");
        Assert.Equal("cat", v.TopLabels[0].Label);
        var box = Assert.Single(v.Boxes.Take(1));
        Assert.InRange(box.X, 0, check.Width);
        Assert.InRange(box.Y, 0, check.Height);
        Assert.InRange(box.X + box.Width, box.X + 1, check.Width);
        Assert.InRange(box.Y + box.Height, box.Y + 1, check.Height);
        Assert.Equal(OnnxCatDetector.DetectorId, v.DetectorId);
        Assert.Equal(detector.Descriptor.Threshold, v.Threshold);
    }

    [Theory]
    [InlineData("nocat_0015.jpg")]
    [InlineData("nocat_0050.jpg")]
    [InlineData("nocat_0075.png")]
    public async Task Dog_photo_is_not_a_cat(string file)
    {
        var (bytes, check) = Load(file);

        var result = await detector.DetectAsync(new ImageContent(bytes, check.Format, check.Width, check.Height), TestContext.Current.CancellationToken);

        Assert.False(result.Verdict.IsCat, $"{file}: cat score {result.Verdict.Confidence}");
        Assert.Empty(result.Verdict.Boxes);
        Assert.Equal("dog", result.Verdict.TopLabels[0].Label);
    }

    [Fact]
    public async Task Diagnostics_carry_per_stage_timings_and_the_model_input()
    {
        var (bytes, check) = Load("cat_0004.jpg");

        var result = await detector.DetectAsync(new ImageContent(bytes, check.Format, check.Width, check.Height), TestContext.Current.CancellationToken);

        foreach (var stage in new[] { "decode", "preprocess", "inference", "postprocess", "total" })
        {
            Assert.True(result.Diagnostics.TimingsMs[stage] >= 0, stage);
        }

        Assert.Matches("^(384x384|512x512) letterbox", result.Diagnostics.ModelInput);
        Assert.Equal(5, result.Diagnostics.RawTopScores.Count);
    }

    [Fact]
    public void Concurrent_calls_on_one_session_agree()
    {
        var (bytes, _) = Load("cat_0140.jpg");
        var expected = detector.Detect(bytes).Verdict.Confidence;

        var scores = new double[8];
        Parallel.For(0, scores.Length, i => scores[i] = detector.Detect(bytes).Verdict.Confidence);

        Assert.All(scores, s => Assert.Equal(expected, s));
    }

    [Fact]
    [Obsolete]
    public void Exif_rotated_photo_scores_like_the_upright_one_and_boxes_use_displayed_coordinates()
    {
        // Store the photo rotated 90° counter-clockwise with EXIF orientation 6 (display rotated 90° clockwise).
        var (bytes, check) = Load("cat_0140.jpg");
        using var upright = SKBitmap.Decode(bytes);
        using var stored = new SKBitmap(upright.Height, upright.Width);
        using (var canvas = new SKCanvas(stored))
        {
            canvas.Translate(0, upright.Width);
            canvas.RotateDegrees(-90);
            canvas.DrawBitmap(upright, 0, 0);
        }

        using var data = SKImage.FromBitmap(stored).Encode(SKEncodedImageFormat.Jpeg, 95);
        var rotated = TestImages.WithExifOrientation(data.ToArray(), 6);

        var a = detector.Detect(bytes).Verdict;
        var b = detector.Detect(rotated).Verdict;

        Assert.True(b.IsCat);
        Assert.InRange(b.Confidence, a.Confidence - 0.05, a.Confidence + 0.05);
        var boxA = a.Boxes[0];
        var boxB = b.Boxes[0];
        Assert.InRange(boxB.X + boxB.Width, 0, check.Width); // displayed (upright) width, not the stored one
        Assert.InRange(Math.Abs(boxA.X - boxB.X), 0, 12);
        Assert.InRange(Math.Abs(boxA.Y - boxB.Y), 0, 12);
    }

    [Fact]
    public void Default_threshold_follows_the_scoring_mode_and_configuration_wins()
    {
        var path = model.ModelPath;
        using var single = new OnnxCatDetector(path, "v", new OnnxDetectorOptions { Tta = TtaMode.None, IntraOpThreads = 1 }, new ImageDecoder(new ImageLimits()));
        using var configured = new OnnxCatDetector(path, "v", new OnnxDetectorOptions { IntraOpThreads = 1 }, new ImageDecoder(new ImageLimits()), threshold: 0.5);

        Assert.Equal(OnnxCatDetector.DefaultThreshold, detector.Descriptor.Threshold);
        Assert.Equal(OnnxCatDetector.SingleViewThreshold, single.Descriptor.Threshold);
        Assert.Equal(0.5, configured.Descriptor.Threshold);
    }

    [Fact]
    public void Undecodable_bytes_throw_image_rejected()
    {
        var jpeg = EncodedImages.Encode(64, 64, (x, y) => new SKColor((byte)x, (byte)y, 9), SKEncodedImageFormat.Jpeg);

        var truncated = jpeg[..^200];
        var ex = Assert.Throws<ImageRejectedException>(() => { detector.Detect(truncated); });

        Assert.Equal(ImageRejection.Truncated, ex.Reason);
    }

    private static (byte[] Bytes, ImageCheck.Accepted Check) Load(string file)
    {
        var bytes = File.ReadAllBytes(RepoPaths.EvalImage(file));
        var check = Assert.IsType<ImageCheck.Accepted>(new ImageValidator(new ImageLimits()).Check(bytes));
        return (bytes, check);
    }

    /// <summary>One detector (one ONNX Runtime session) for the whole class, on the model the assembly fixture built.</summary>
    public sealed class Loaded : IDisposable
    {
        private readonly Lock gate = new();
        private OnnxCatDetector? detector;

        public OnnxCatDetector For(ModelFixture model)
        {
            lock (gate)
            {
                return detector ??= new OnnxCatDetector(model.ModelPath, model.ModelVersion, new OnnxDetectorOptions { IntraOpThreads = 1 }, new ImageDecoder(new ImageLimits()));
            }
        }

        public void Dispose() => detector?.Dispose();
    }
}
