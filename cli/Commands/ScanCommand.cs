using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CatWrangler.Cli.Scanning;
using CatWrangler.Core.Images;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Options;

namespace CatWrangler.Cli.Commands;

internal static class ScanCommand
{
    /// <summary>Above this many files, progress goes to stderr.</summary>
    private const int ProgressAbove = 20;

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "JPEG/PNG files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per line" };
        var threshold = new Option<double?>("--threshold") { Description = "Cat score needed for Yes (0..1); default: the detector's calibrated threshold" };
        var annotate = new Option<string?>("--annotate") { Description = "Write <name>.annotated.png (cat boxes and scores drawn) into this folder for each image with cats" };
        var command = new Command("scan", "Classify JPEG/PNG files offline: does each contain a cat?") { paths, json, threshold, annotate };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(paths)!,
            parse.GetValue(json),
            Overrides(parse.GetValue(threshold)),
            Console.Out,
            Console.Error,
            ct,
            parse.GetValue(annotate)));
        return command;
    }

    /// <summary>Exit codes: 0 every file classified (and annotated), 1 some file could not be, 2 the detector could not start.</summary>
    /// <param name="annotateDirectory">When set, each image with cats gets <c>&lt;name&gt;.annotated.png</c> here.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, bool json, IReadOnlyDictionary<string, string?> overrides, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, string? annotateDirectory = null)
    {
        var files = FileScanner.Expand(paths);
        if (files.Count == 0)
        {
            await stderr.WriteLineAsync("catscan scan: no JPEG/PNG files found.");
            return 1;
        }

        using var local = await StartDetectorAsync(overrides, stderr, cancellationToken);
        if (local is null)
        {
            return 2;
        }

        var scanner = new FileScanner(local.Validator, local.Detector);
        var clock = Stopwatch.StartNew();
        var failed = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var outcome = await scanner.ScanAsync(files[i], cancellationToken);
            failed += outcome.Classified ? 0 : 1;
            await stdout.WriteLineAsync(json ? ScanOutput.Json(outcome) : ScanOutput.Text(outcome));
            if (annotateDirectory is not null && outcome.Result?.Verdict is { IsCat: true, Boxes.Count: > 0 } verdict)
            {
                failed += await AnnotateAsync(local, files[i], verdict.Boxes, annotateDirectory, stderr, cancellationToken) ? 0 : 1;
            }

            if (files.Count > ProgressAbove && ((i + 1) % 25 == 0 || i + 1 == files.Count))
            {
                await stderr.WriteLineAsync($"scanned {i + 1}/{files.Count} ({clock.Elapsed.TotalSeconds:0.0} s)");
            }
        }

        if (failed > 0)
        {
            await stderr.WriteLineAsync($"catscan scan: {failed} of {files.Count} file(s) could not be classified.");
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>Writes the annotated picture (stderr names it); false with a message when it cannot be drawn or written.</summary>
    private static async Task<bool> AnnotateAsync(LocalDetector local, string file, IReadOnlyList<BoundingBox> boxes, string directory, TextWriter stderr, CancellationToken cancellationToken)
    {
        var target = Path.Combine(directory, Path.GetFileNameWithoutExtension(file) + ".annotated.png");
        try
        {
            var png = local.Annotator.Render(await File.ReadAllBytesAsync(file, cancellationToken), boxes);
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(target, png, cancellationToken);
            await stderr.WriteLineAsync($"annotated: {target}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageRejectedException)
        {
            await stderr.WriteLineAsync($"catscan scan: {file} could not be annotated: {e.Message}");
            return false;
        }
    }

    /// <summary>Builds the detector or prints why it cannot (e.g. the model cannot be provisioned) and returns null.</summary>
    internal static async Task<LocalDetector?> StartDetectorAsync(IReadOnlyDictionary<string, string?> overrides, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalDetector.CreateAsync(overrides, stderr, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or IOException or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            await stderr.WriteLineAsync($"catscan: the cat detector could not start: {e.Message}");
            return null;
        }
    }

    internal static Dictionary<string, string?> Overrides(double? threshold)
    {
        var overrides = new Dictionary<string, string?>();
        if (threshold is { } t)
        {
            overrides["CatWrangler:Detector:Threshold"] = t.ToString(CultureInfo.InvariantCulture);
        }

        return overrides;
    }
}
