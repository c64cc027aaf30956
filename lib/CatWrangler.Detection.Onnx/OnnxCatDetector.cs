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
public sealed class OnnxCatDetector : ICatDetector, IDisposable
{
    public const string DetectorId = "onnx-centernet";

    /// <summary>Calibrated on the public eval set (docs/detector.md): the cut between cat and no-cat scores.</summary>
    public const double DefaultThreshold = 0.35;

    public const int InputSize = 512;
    private const int InputLength = InputSize * InputSize * 3;
    private const int MaxBoxes = 10;
    private const int TopLabelCount = 5;

    private static readonly string[] InputNames = ["images"];
    private static readonly string[] OutputNames = ["heatmap", "wh"];

    private readonly InferenceSession session;
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
        };
        session = new InferenceSession(modelPath, sessionOptions);
        Descriptor = new DetectorDescriptor(DetectorId, modelVersion, threshold ?? DefaultThreshold);
    }

    public DetectorDescriptor Descriptor { get; }

    public Task<DetectionResult> DetectAsync(ImageContent image, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Detect(image.Bytes.Span));
    }

    /// <summary>Decode, letterbox, infer, decide. Throws <see cref="Core.Images.ImageRejectedException"/> for undecodable bytes.</summary>
    public DetectionResult Detect(ReadOnlySpan<byte> bytes)
    {
        var total = Stopwatch.StartNew();
        using var image = decoder.Decode(bytes, InputSize);
        var decodeMs = total.Elapsed.TotalMilliseconds;

        var input = ArrayPool<float>.Shared.Rent(2 * InputLength);
        try
        {
            var t = Stopwatch.StartNew();
            var geometry = Letterbox.Fill(image.Rgb, image.Width, image.Height, InputSize, input.AsSpan(0, InputLength));
            var preprocessMs = t.Elapsed.TotalMilliseconds;

            t.Restart();
            var pass = Infer(input, batch: 1);
            var inferenceMs = t.Elapsed.TotalMilliseconds;
            var singlePassScore = CenterNetDecoder.CatScore(pass.Heatmap);

            var flipped = options.Tta == TtaMode.Flip
                || (options.Tta == TtaMode.Auto && Math.Abs(singlePassScore - Descriptor.Threshold) <= options.TtaBand);
            if (flipped)
            {
                t.Restart();
                var mirror = input.AsSpan(InputLength, InputLength);
                input.AsSpan(0, InputLength).CopyTo(mirror);
                Letterbox.MirrorHorizontally(mirror, InputSize);
                preprocessMs += t.Elapsed.TotalMilliseconds;
                t.Restart();
                var second = Infer(input.AsMemory(InputLength, InputLength), batch: 1);
                CenterNetDecoder.AverageMirrored(pass.Heatmap, second.Heatmap);
                second.Return();
                inferenceMs += t.Elapsed.TotalMilliseconds;
            }

            t.Restart();
            var result = Decide(pass, geometry, image, flipped, singlePassScore);
            var postMs = t.Elapsed.TotalMilliseconds;
            pass.Return();

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
            ArrayPool<float>.Shared.Return(input);
        }
    }

    private DetectionResult Decide(Outputs pass, LetterboxGeometry geometry, DecodedImage image, bool flipped, float singlePassScore)
    {
        var score = CenterNetDecoder.CatScore(pass.Heatmap);
        var threshold = Descriptor.Threshold;
        var isCat = score >= threshold;

        Span<float> maxima = stackalloc float[CenterNetDecoder.Classes];
        CenterNetDecoder.ClassMaxima(pass.Heatmap, maxima);
        var labels = CenterNetDecoder.TopLabels(maxima, TopLabelCount);

        var sx = (double)image.EncodedWidth / image.Width;
        var sy = (double)image.EncodedHeight / image.Height;
        var boxes = isCat
            ? CenterNetDecoder.CatPeaks(pass.Heatmap, pass.Wh, (float)threshold, MaxBoxes)
                .Select(b => CenterNetDecoder.ToImage(b, geometry, sx, sy, image.EncodedWidth, image.EncodedHeight))
                .ToList()
            : [];

        var verdict = new Verdict(isCat, Math.Round(score, 4), boxes, labels, Descriptor.Id, Descriptor.ModelVersion, threshold);
        var diagnostics = new DetectionDiagnostics
        {
            ModelInput = $"{InputSize}x{InputSize} letterbox ({geometry.ScaledWidth}x{geometry.ScaledHeight} at {geometry.OffsetX},{geometry.OffsetY}"
                + $" from {image.Width}x{image.Height}){(flipped ? " + mirrored pass" : string.Empty)}",
            RawTopScores = labels,
            RawResponse = flipped ? $"{{\"catScore\":{score:0.#####},\"singlePassCatScore\":{singlePassScore:0.#####}}}" : $"{{\"catScore\":{score:0.#####}}}",
        };
        return new DetectionResult(verdict, diagnostics);
    }

    private Outputs Infer(Memory<float> input, int batch)
    {
        using var runOptions = new RunOptions();
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, [batch, InputSize, InputSize, 3]);
        using var outputs = session.Run(runOptions, InputNames, [tensor], OutputNames);
        var heatmap = ArrayPool<float>.Shared.Rent(CenterNetDecoder.HeatmapLength);
        var wh = ArrayPool<float>.Shared.Rent(CenterNetDecoder.WhLength);
        outputs[0].GetTensorDataAsSpan<float>()[..CenterNetDecoder.HeatmapLength].CopyTo(heatmap);
        outputs[1].GetTensorDataAsSpan<float>()[..CenterNetDecoder.WhLength].CopyTo(wh);
        return new Outputs(heatmap, wh);
    }

    private Outputs Infer(float[] input, int batch) => Infer(input.AsMemory(0, batch * InputLength), batch);

    public void Dispose() => session.Dispose();

    /// <summary>Pooled output copies (rented arrays may be longer than the tensors).</summary>
    private readonly record struct Outputs(float[] HeatmapBuffer, float[] WhBuffer)
    {
        public Span<float> Heatmap => HeatmapBuffer.AsSpan(0, CenterNetDecoder.HeatmapLength);

        public Span<float> Wh => WhBuffer.AsSpan(0, CenterNetDecoder.WhLength);

        public void Return()
        {
            ArrayPool<float>.Shared.Return(HeatmapBuffer);
            ArrayPool<float>.Shared.Return(WhBuffer);
        }
    }
}
