using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx;
using CatWrangler.Detection.Onnx.Imaging;
using CatWrangler.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CatWrangler.Detection.Tests.Parity;

/// <summary>
/// The converted ONNX model against the Node reference (refdet, the TFJS graph run by tfjs) on eval PNGs:
/// first the model input our letterbox builds must equal refdet's, then the heatmap must match within 1e-3
/// and the cat verdicts must agree.
/// </summary>
public sealed class CenterNetParityTests(ModelFixture model)
{
    private const int Size = 512;
    private const int Grid = 128;
    private const int Classes = 80;
    private const int Cat = 15;
    private const float HeatmapTolerance = 1e-3f;

    private static readonly ParityFixture Fixture = ParityFixture.Load();
    private static readonly Lock SessionLock = new();
    private static InferenceSession? session;

    public static TheoryData<string> Images => new(Fixture.Images.Select(i => i.File));

    [Fact]
    public void The_fixture_covers_at_least_ten_images_with_cats_and_others()
    {
        Assert.True(Fixture.Images.Length >= 10);
        Assert.Contains(Fixture.Images, i => i.ClassMax[Cat] > OnnxCatDetector.DefaultThreshold);
        Assert.Contains(Fixture.Images, i => i.ClassMax[Cat] < OnnxCatDetector.DefaultThreshold);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Model_input_heatmap_and_verdict_match_the_reference(string file)
    {
        var expected = Fixture.Images.Single(i => i.File == file);
        var input = ModelInput(file, expected);

        var (heatmap, wh) = Run(input, batch: 1);

        var classMax = new float[Classes];
        var catTop = 0f;
        for (var cell = 0; cell < Grid * Grid; cell++)
        {
            var best = 0;
            for (var c = 0; c < Classes; c++)
            {
                var v = heatmap[(cell * Classes) + c];
                classMax[c] = Math.Max(classMax[c], v);
                best = v > heatmap[(cell * Classes) + best] ? c : best;
            }

            if (best == Cat)
            {
                catTop = Math.Max(catTop, heatmap[(cell * Classes) + Cat]);
            }
        }

        var samples = Fixture.HeatmapPositions.Select(p => heatmap[(((p[0] * Grid) + p[1]) * Classes) + p[2]]).ToArray();
        var whSamples = Fixture.WhPositions.Select(p => wh[(((p[0] * Grid) + p[1]) * 4) + p[2]]).ToArray();
        var diff = new[] { MaxAbsDiff(expected.ClassMax, classMax), MaxAbsDiff(expected.HeatmapSamples, samples), Math.Abs(expected.CatTop - catTop) }.Max();
        TestContext.Current.TestOutputHelper?.WriteLine($"{file}: heatmap max abs diff {diff:E2}, cat {classMax[Cat]:F5} (ref {expected.ClassMax[Cat]:F5}), catTop {catTop:F5} (ref {expected.CatTop:F5})");

        Assert.True(diff <= HeatmapTolerance, $"{file}: heatmap differs from the reference by {diff}");
        var whDiff = expected.WhSamples.Zip(whSamples, (e, a) => Math.Abs(e - a) / Math.Max(1f, Math.Abs(e))).Max();
        Assert.True(whDiff <= HeatmapTolerance, $"{file}: wh differs from the reference by {whDiff} (relative)");
        var threshold = OnnxCatDetector.DefaultThreshold;
        Assert.Equal(expected.CatTop >= threshold, catTop >= threshold);
        Assert.Equal(expected.ClassMax[Cat] >= threshold, classMax[Cat] >= threshold);
    }

    [Fact]
    public void A_batch_of_two_gives_each_image_its_own_single_image_result()
    {
        // the batch dimension is dynamic so test-time augmentation can run a mirrored copy in the same call
        var image = Fixture.Images.First(i => i.File.StartsWith("cat_", StringComparison.Ordinal));
        var input = ModelInput(image.File, image);
        var mirrored = (float[])input.Clone();
        Letterbox.MirrorHorizontally(mirrored, Size);

        var (single, _) = Run(input, batch: 1);
        var (singleMirrored, _) = Run(mirrored, batch: 1);
        var (batched, _) = Run([.. input, .. mirrored], batch: 2);

        Assert.True(MaxAbsDiff(single, batched[..single.Length]) < 1e-5f);
        Assert.True(MaxAbsDiff(singleMirrored, batched[single.Length..]) < 1e-5f);
        Assert.True(MaxAbsDiff(single, singleMirrored) > 1e-3f, "a mirrored photo should not give the identical heatmap");
    }

    [Fact]
    public void The_model_has_the_documented_inputs_and_outputs()
    {
        var s = Session();

        var input = Assert.Single(s.InputMetadata);
        Assert.Equal("images", input.Key);
        // Batch, height and width are symbolic (the cascade's first look runs the same graph at 384 px).
        Assert.Equal([-1, -1, -1, 3], input.Value.Dimensions);
        Assert.Equal([-1, -1, -1, Classes], s.OutputMetadata["heatmap"].Dimensions);
        Assert.Equal([-1, -1, -1, 4], s.OutputMetadata["wh"].Dimensions);
        Assert.Equal("centernet-mnv3-human-3.3.6", model.ModelVersion);
    }

    /// <summary>The production decoder + letterbox, checked against refdet's dumped model input (sums and samples).</summary>
    private static float[] ModelInput(string file, ParityImage expected)
    {
        var bytes = File.ReadAllBytes(RepoPaths.EvalImage(file));
        using var image = new ImageDecoder(new ImageLimits()).Decode(bytes);
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        var input = new float[Size * Size * 3];
        Letterbox.Fill(image.Rgb, image.Width, image.Height, Size, input);

        var samples = Fixture.InputPositions.Select(p => input[(((p[0] * Size) + p[1]) * 3) + p[2]]).ToArray();
        Assert.True(MaxAbsDiff(expected.InputSamples, samples) <= 1e-3f, $"{file}: model input samples differ from refdet's");
        double sum = 0, sumSquares = 0;
        foreach (var v in input)
        {
            sum += v;
            sumSquares += (double)v * v;
        }

        Assert.Equal(expected.InputSum, sum, expected.InputSum * 1e-6);
        Assert.Equal(expected.InputSumSquares, sumSquares, expected.InputSumSquares * 1e-6);
        return input;
    }

    private (float[] Heatmap, float[] Wh) Run(float[] input, int batch)
    {
        using var results = Session().Run([NamedOnnxValue.CreateFromTensor("images", new DenseTensor<float>(input, [batch, Size, Size, 3]))]);
        return (results.Single(r => r.Name == "heatmap").AsTensor<float>().ToArray(), results.Single(r => r.Name == "wh").AsTensor<float>().ToArray());
    }

    private InferenceSession Session()
    {
        lock (SessionLock)
        {
            return session ??= new InferenceSession(model.ModelPath);
        }
    }

    private static float MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (p, q) => MathF.Abs(p - q)).Max();
}
