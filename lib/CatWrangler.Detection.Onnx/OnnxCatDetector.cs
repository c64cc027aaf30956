using System.Buffers;
using System.Diagnostics;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Scans;
using CatWrangler.Detection.Onnx.Imaging;

namespace CatWrangler.Detection.Onnx;

/// <summary>
/// The local detector: CenterNet (MobileNetV3, COCO-80) in ONNX Runtime. One session, shared by all callers
/// (InferenceSession.Run is thread-safe); every call rents its own buffers.
/// </summary>
/// <remarks>
/// The cat score of a view is the highest cat heatmap value among cells where cat is the strongest class. A cascade keeps
/// the cost down: a cheap first look (a <see cref="OnnxDetectorOptions.FirstLookSize"/> letterbox, 384 px by default: about 56 % of the
/// full view's work) decides the clear majority; the rest get the reference 512 px letterbox. When its score is inconclusive,
/// two more views run as one batch on the same decoded pixels, the mirror image and a zoomed-out letterbox (long side 256 px:
/// close-ups of cats look like dogs to a COCO model at full size), and the verdict uses the mean of the three scores.
/// See docs/detector.md for the measurements and the cross-validation behind these choices.
/// </remarks>
public sealed class OnnxCatDetector : ICatDetector, IDisposable
{
    public const string DetectorId = "onnx-centernet";

    /// <summary>Chosen on the public eval set (docs/detector.md) for the three-view mean score.</summary>
    public const double DefaultThreshold = 0.175;

    /// <summary>The same choice for the first-view score alone (<see cref="TtaMode.None"/>), which runs lower.</summary>
    public const double SingleViewThreshold = 0.12;

    public const int InputSize = 512;

    /// <summary>Long side of the image in the zoomed-out view.</summary>
    public const int ZoomedOutSize = 256;

    private const int InputLength = InputSize * InputSize * 3;
    private const int MaxBoxes = 10;
    private const int TopLabelCount = 5;

    private readonly ICenterNetModel model;
    private readonly InferenceThreads threads;
    private readonly ImageDecoder decoder;
    private readonly OnnxDetectorOptions options;
    private readonly double firstLookLow;
    private readonly double firstLookHigh;

    public OnnxCatDetector(string modelPath, string modelVersion, OnnxDetectorOptions options, ImageDecoder decoder, double? threshold = null)
        : this(threads => threads.RunAsync<ICenterNetModel>(() => new OnnxCenterNetModel(modelPath, options.IntraOpThreads)).GetAwaiter().GetResult(),
            modelVersion, options, decoder, threshold)
    {
    }

    /// <summary>Runs any <see cref="ICenterNetModel"/> (tests use a scripted one); the detector owns and disposes it.</summary>
    public OnnxCatDetector(ICenterNetModel model, string modelVersion, OnnxDetectorOptions options, ImageDecoder decoder, double? threshold = null)
        : this(_ => model, modelVersion, options, decoder, threshold)
    {
    }

    private OnnxCatDetector(Func<InferenceThreads, ICenterNetModel> createModel, string modelVersion, OnnxDetectorOptions options, ImageDecoder decoder, double? threshold)
    {
        if (options.FirstLookSize is < 0 or >= InputSize || options.FirstLookSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FirstLookSize, $"FirstLookSize must be 0 (off) or a multiple of 32 below {InputSize}.");
        }

        this.options = options;
        this.decoder = decoder;
        threads = new InferenceThreads(options.InferenceThreads, options.BackgroundPriority);

        // Created on an inference thread, so ONNX Runtime's intra-op threads inherit its priority.
        model = createModel(threads);
        Descriptor = new DetectorDescriptor(DetectorId, modelVersion, threshold ?? (options.Tta == TtaMode.None ? SingleViewThreshold : DefaultThreshold));

        // The first look may only settle what the threshold would settle the same way: its bands always enclose the threshold.
        firstLookLow = Math.Min(options.FirstLookLow, Descriptor.Threshold);
        firstLookHigh = Math.Max(options.FirstLookHigh, Descriptor.Threshold);
    }

    public DetectorDescriptor Descriptor { get; }

    private bool Cascades => options.FirstLookSize > 0 && options.Tta != TtaMode.Always;

    /// <summary>Runs <see cref="Detect"/> on the detector's own threads (see <see cref="InferenceThreads"/>).</summary>
    public Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return threads.RunAsync(() => Detect(image.Bytes.Span));
    }

    /// <summary>Decode, letterbox, infer, decide. Throws <see cref="Core.Images.ImageRejectedException"/> for undecodable bytes.</summary>
    public DetectionResult Detect(ReadOnlySpan<byte> bytes)
    {
        var total = Stopwatch.StartNew();
        using var image = decoder.Decode(bytes, InputSize);
        var timings = new Dictionary<string, double> { ["decode"] = total.Elapsed.TotalMilliseconds, ["preprocess"] = 0, ["inference"] = 0 };
        var input = ArrayPool<float>.Shared.Rent(3 * InputLength);
        try
        {
            var result = Classify(image, input, timings);
            timings["total"] = total.Elapsed.TotalMilliseconds;
            var rounded = timings.ToDictionary(t => t.Key, t => Math.Round(t.Value, 2));
            return result with { Diagnostics = result.Diagnostics with { TimingsMs = rounded } };
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    private DetectionResult Classify(DecodedImage image, float[] input, Dictionary<string, double> timings)
    {
        var t = Stopwatch.StartNew();
        float? firstLookScore = null;
        if (Cascades)
        {
            var size = options.FirstLookSize;
            var length = size * size * 3;
            var lookGeometry = Letterbox.Fill(image.Rgb, image.Width, image.Height, size, input.AsSpan(0, length));
            timings["preprocess"] += t.Elapsed.TotalMilliseconds;
            t.Restart();
            using var look = model.Run(input.AsMemory(0, length), batch: 1, size);
            timings["inference"] += t.Elapsed.TotalMilliseconds;
            var score = CenterNetDecoder.CatScore(look.Heatmap(0));
            if (score < firstLookLow || score > firstLookHigh)
            {
                return Decide(look, score, score, firstLookScore: score, views: 0, lookGeometry, image, timings);
            }

            firstLookScore = score;
        }

        t.Restart();
        var geometry = Letterbox.Fill(image.Rgb, image.Width, image.Height, InputSize, input.AsSpan(0, InputLength));
        timings["preprocess"] += t.Elapsed.TotalMilliseconds;
        t.Restart();
        using var first = model.Run(input.AsMemory(0, InputLength), batch: 1, InputSize);
        timings["inference"] += t.Elapsed.TotalMilliseconds;
        var firstScore = CenterNetDecoder.CatScore(first.Heatmap(0));
        if (!(options.Tta == TtaMode.Always || (options.Tta == TtaMode.Auto && firstScore >= options.TtaLow && firstScore <= options.TtaHigh)))
        {
            return Decide(first, firstScore, firstScore, firstLookScore, views: 1, geometry, image, timings);
        }

        // The extra views are one batch of two on the pixels already decoded: the mirror of the reference view and a zoomed-out letterbox.
        t.Restart();
        var mirror = input.AsSpan(InputLength, InputLength);
        input.AsSpan(0, InputLength).CopyTo(mirror);
        Letterbox.MirrorHorizontally(mirror, InputSize);
        Letterbox.Fill(image.Rgb, image.Width, image.Height, InputSize, input.AsSpan(2 * InputLength, InputLength), ZoomedOutSize);
        timings["preprocess"] += t.Elapsed.TotalMilliseconds;
        t.Restart();
        using var extra = model.Run(input.AsMemory(InputLength, 2 * InputLength), batch: 2, InputSize);
        timings["inference"] += t.Elapsed.TotalMilliseconds;
        var mean = (firstScore + CenterNetDecoder.CatScore(extra.Heatmap(0)) + CenterNetDecoder.CatScore(extra.Heatmap(1))) / 3;
        return Decide(first, mean, firstScore, firstLookScore, views: 3, geometry, image, timings);
    }

    /// <param name="view">Outputs of the view boxes and labels come from: the first look or the reference view.</param>
    /// <param name="views">Views at full resolution behind the score: 0 when the first look decided.</param>
    private DetectionResult Decide(CenterNetOutputs view, float score, float viewScore, float? firstLookScore, int views, LetterboxGeometry geometry, DecodedImage image, Dictionary<string, double> timings)
    {
        var t = Stopwatch.StartNew();
        var threshold = Descriptor.Threshold;
        var isCat = score >= threshold;
        var heatmap = view.Heatmap(0);

        Span<float> maxima = stackalloc float[CenterNetDecoder.Classes];
        CenterNetDecoder.ClassMaxima(heatmap, maxima);
        var labels = CenterNetDecoder.TopLabels(maxima, TopLabelCount);

        // Boxes come from the view itself; when the verdict needed more views, its own peaks may all sit below the threshold.
        var sx = (double)image.EncodedWidth / image.Width;
        var sy = (double)image.EncodedHeight / image.Height;
        var boxes = isCat
            ? CenterNetDecoder.CatPeaks(heatmap, view.Wh(0), (float)Math.Min(threshold, viewScore), MaxBoxes, view.Grid)
                .Select(b => CenterNetDecoder.ToImage(b, geometry, sx, sy, image.EncodedWidth, image.EncodedHeight))
                .ToList()
            : [];

        var verdict = new Verdict(isCat, Math.Round(score, 4), boxes, labels, Descriptor.Id, Descriptor.ModelVersion, threshold);
        var stage = views == 0 ? " (first look decided)" : views > 1 ? $" + mirrored + zoomed-out ({ZoomedOutSize} px) views" : string.Empty;
        var firstLook = firstLookScore is { } f ? $"\"firstLookCatScore\":{f:0.#####}," : string.Empty;
        var diagnostics = new DetectionDiagnostics
        {
            ModelInput = $"{geometry.Size}x{geometry.Size} letterbox ({geometry.ScaledWidth}x{geometry.ScaledHeight} at {geometry.OffsetX},{geometry.OffsetY}"
                + $" from {image.Width}x{image.Height}){stage}",
            RawTopScores = labels,
            RawResponse = $"{{\"catScore\":{score:0.#####},{firstLook}\"viewCatScore\":{viewScore:0.#####},\"views\":{views}}}",
        };
        timings["postprocess"] = t.Elapsed.TotalMilliseconds;
        return new DetectionResult(verdict, diagnostics);
    }

    public void Dispose()
    {
        threads.Dispose();
        model.Dispose();
    }
}
