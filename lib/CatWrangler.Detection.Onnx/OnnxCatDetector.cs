using System.Buffers;
using System.Diagnostics;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Scans;
using CatWrangler.Detection.Onnx.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace CatWrangler.Detection.Onnx;

/// <summary>
/// The local detector: CenterNet (MobileNetV3, COCO-80) in ONNX Runtime. One session, shared by all callers
/// (InferenceSession.Run is thread-safe); every call rents its own buffers.
/// </summary>
/// <remarks>
/// The cat score of a view is the highest cat heatmap value among cells where cat is the strongest class. The first view is
/// the reference letterbox. When its score is inconclusive, two more views run as one batch, the mirror image and a
/// zoomed-out letterbox (long side 256 px: close-ups of cats look like dogs to a COCO model at full size), and the
/// verdict uses the mean of the three scores. See docs/detector.md for the measurements behind these choices.
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

    private static readonly string[] InputNames = ["images"];
    private static readonly string[] OutputNames = ["heatmap", "wh"];

    private readonly InferenceSession session;
    private readonly InferenceThreads threads;
    private readonly ImageDecoder decoder;
    private readonly OnnxDetectorOptions options;

    public OnnxCatDetector(string modelPath, string modelVersion, OnnxDetectorOptions options, ImageDecoder decoder, double? threshold = null)
    {
        this.options = options;
        this.decoder = decoder;
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            // Memory patterns pre-plan one block per input shape and keep it; off, peak RSS drops by about 30 MB.
            EnableMemoryPattern = false,
        };
        threads = new InferenceThreads(options.InferenceThreads, options.BackgroundPriority);
        // Created on an inference thread, so ONNX Runtime's intra-op threads inherit its priority.
        session = threads.RunAsync(() => new InferenceSession(modelPath, sessionOptions)).GetAwaiter().GetResult();
        Descriptor = new DetectorDescriptor(DetectorId, modelVersion, threshold ?? (options.Tta == TtaMode.None ? SingleViewThreshold : DefaultThreshold));
    }

    public DetectorDescriptor Descriptor { get; }

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
        var decodeMs = total.Elapsed.TotalMilliseconds;

        var input = ArrayPool<float>.Shared.Rent(3 * InputLength);
        Outputs? first = null;
        try
        {
            var t = Stopwatch.StartNew();
            var geometry = Letterbox.Fill(image.Rgb, image.Width, image.Height, InputSize, input.AsSpan(0, InputLength));
            var preprocessMs = t.Elapsed.TotalMilliseconds;

            t.Restart();
            first = Infer(input.AsMemory(0, InputLength), batch: 1);
            var inferenceMs = t.Elapsed.TotalMilliseconds;
            var firstScore = CenterNetDecoder.CatScore(first.Value.Heatmap(0));

            var score = firstScore;
            var views = 1;
            if (options.Tta == TtaMode.Always || (options.Tta == TtaMode.Auto && firstScore >= options.TtaLow && firstScore <= options.TtaHigh))
            {
                t.Restart();
                var mirror = input.AsSpan(InputLength, InputLength);
                input.AsSpan(0, InputLength).CopyTo(mirror);
                Letterbox.MirrorHorizontally(mirror, InputSize);
                Letterbox.Fill(image.Rgb, image.Width, image.Height, InputSize, input.AsSpan(2 * InputLength, InputLength), ZoomedOutSize);
                preprocessMs += t.Elapsed.TotalMilliseconds;

                // One view per run, not a batch of two: a batch doubles ONNX Runtime's activation arena for the rest of the
                // process (about +100 MB RSS) for no measurable speed gain on two cores.
                t.Restart();
                var sum = firstScore;
                for (var v = 1; v <= 2; v++)
                {
                    var pass = Infer(input.AsMemory(v * InputLength, InputLength), batch: 1);
                    sum += CenterNetDecoder.CatScore(pass.Heatmap(0));
                    pass.Return();
                }

                inferenceMs += t.Elapsed.TotalMilliseconds;
                score = sum / 3;
                views = 3;
            }

            t.Restart();
            var result = Decide(first.Value, score, firstScore, views, geometry, image);
            var postMs = t.Elapsed.TotalMilliseconds;

            var timings = new Dictionary<string, double>
            {
                ["decode"] = Math.Round(decodeMs, 2),
                ["preprocess"] = Math.Round(preprocessMs, 2),
                ["inference"] = Math.Round(inferenceMs, 2),
                ["postprocess"] = Math.Round(postMs, 2),
                ["total"] = Math.Round(total.Elapsed.TotalMilliseconds, 2),
            };
            return result with { Diagnostics = result.Diagnostics with { TimingsMs = timings } };
        }
        finally
        {
            first?.Return();
            ArrayPool<float>.Shared.Return(input);
        }
    }

    private DetectionResult Decide(Outputs first, float score, float firstScore, int views, LetterboxGeometry geometry, DecodedImage image)
    {
        var threshold = Descriptor.Threshold;
        var isCat = score >= threshold;
        var heatmap = first.Heatmap(0);

        Span<float> maxima = stackalloc float[CenterNetDecoder.Classes];
        CenterNetDecoder.ClassMaxima(heatmap, maxima);
        var labels = CenterNetDecoder.TopLabels(maxima, TopLabelCount);

        // Boxes come from the reference view; when the verdict needed more views, its own peaks may all sit below the threshold.
        var sx = (double)image.EncodedWidth / image.Width;
        var sy = (double)image.EncodedHeight / image.Height;
        var boxes = isCat
            ? CenterNetDecoder.CatPeaks(heatmap, first.Wh(0), (float)Math.Min(threshold, firstScore), MaxBoxes)
                .Select(b => CenterNetDecoder.ToImage(b, geometry, sx, sy, image.EncodedWidth, image.EncodedHeight))
                .ToList()
            : [];

        var verdict = new Verdict(isCat, Math.Round(score, 4), boxes, labels, Descriptor.Id, Descriptor.ModelVersion, threshold);
        var diagnostics = new DetectionDiagnostics
        {
            ModelInput = $"{InputSize}x{InputSize} letterbox ({geometry.ScaledWidth}x{geometry.ScaledHeight} at {geometry.OffsetX},{geometry.OffsetY}"
                + $" from {image.Width}x{image.Height}){(views > 1 ? $" + mirrored + zoomed-out ({ZoomedOutSize} px) views" : string.Empty)}",
            RawTopScores = labels,
            RawResponse = $"{{\"catScore\":{score:0.#####},\"firstViewCatScore\":{firstScore:0.#####},\"views\":{views}}}",
        };
        return new DetectionResult(verdict, diagnostics);
    }

    private Outputs Infer(Memory<float> input, int batch)
    {
        using var runOptions = new RunOptions();
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, [batch, InputSize, InputSize, 3]);
        using var outputs = session.Run(runOptions, InputNames, [tensor], OutputNames);
        var heatmap = ArrayPool<float>.Shared.Rent(batch * CenterNetDecoder.HeatmapLength);
        var wh = ArrayPool<float>.Shared.Rent(batch * CenterNetDecoder.WhLength);
        outputs[0].GetTensorDataAsSpan<float>()[..(batch * CenterNetDecoder.HeatmapLength)].CopyTo(heatmap);
        outputs[1].GetTensorDataAsSpan<float>()[..(batch * CenterNetDecoder.WhLength)].CopyTo(wh);
        return new Outputs(heatmap, wh);
    }

    public void Dispose()
    {
        threads.Dispose();
        session.Dispose();
    }

    /// <summary>Pooled output copies (rented arrays may be longer than the tensors).</summary>
    private readonly record struct Outputs(float[] HeatmapBuffer, float[] WhBuffer)
    {
        public Span<float> Heatmap(int item) => HeatmapBuffer.AsSpan(item * CenterNetDecoder.HeatmapLength, CenterNetDecoder.HeatmapLength);

        public Span<float> Wh(int item) => WhBuffer.AsSpan(item * CenterNetDecoder.WhLength, CenterNetDecoder.WhLength);

        public void Return()
        {
            ArrayPool<float>.Shared.Return(HeatmapBuffer);
            ArrayPool<float>.Shared.Return(WhBuffer);
        }
    }
}
