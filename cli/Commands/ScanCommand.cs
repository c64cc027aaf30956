using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CatWrangler.Cli.Scanning;

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
        var command = new Command("scan", "Classify JPEG/PNG files offline: does each contain a cat?") { paths, json, threshold };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(paths)!,
            parse.GetValue(json),
            Overrides(parse.GetValue(threshold)),
            Console.Out,
            Console.Error,
            ct));
        return command;
    }

    /// <summary>Exit codes: 0 every file classified, 1 some file could not be, 2 the detector could not start.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> paths, bool json, IReadOnlyDictionary<string, string?> overrides, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
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

    /// <summary>Builds the detector or prints why it cannot (e.g. the model cannot be provisioned) and returns null.</summary>
    internal static async Task<LocalDetector?> StartDetectorAsync(IReadOnlyDictionary<string, string?> overrides, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalDetector.CreateAsync(overrides, stderr, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
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
