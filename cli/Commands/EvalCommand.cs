using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using CatWrangler.Cli.Scanning;

namespace CatWrangler.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Folder with labels.csv (columns file,label: cat, nocat or bigcat) and the images it names" };
        var threshold = new Option<double?>("--threshold") { Description = "Cat score needed for Yes (0..1); default: the detector's calibrated threshold" };
        var fit = new Option<int?>("--fit-cascade")
        {
            Description = "Run every image through the first look and the full path, then choose the cascade's first-look bands with this many folds of cross-validation",
        };
        var command = new Command("eval", "Accuracy report on a labelled folder: AUC, accuracy, recall, false-positive rate, misclassified files") { dir, threshold, fit };
        command.SetAction((parse, ct) =>
        {
            var overrides = ScanCommand.Overrides(parse.GetValue(threshold));
            var folds = parse.GetValue(fit);
            if (folds is not null)
            {
                // Bands that never settle anything: every image gets both scores, the report is the full path's.
                overrides["CatWrangler:Detector:FirstLookLow"] = "0";
                overrides["CatWrangler:Detector:FirstLookHigh"] = "1";
            }

            return RunAsync(parse.GetValue(dir)!, overrides, Console.Out, Console.Error, ct, folds);
        });
        return command;
    }

    public static async Task<int> RunAsync(string dir, IReadOnlyDictionary<string, string?> overrides, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, int? cascadeFolds = null)
    {
        if (cascadeFolds is < 2)
        {
            await stderr.WriteLineAsync("catscan eval: --fit-cascade needs at least 2 folds.");
            return 1;
        }

        var labels = Path.Combine(dir, "labels.csv");
        if (!File.Exists(labels))
        {
            await stderr.WriteLineAsync($"catscan eval: {labels} not found.");
            return 1;
        }

        var rows = ReadLabels(labels);
        using var local = await ScanCommand.StartDetectorAsync(overrides, stderr, cancellationToken);
        if (local is null)
        {
            return 2;
        }

        var scanner = new FileScanner(local.Validator, local.Detector);
        var items = new List<EvalItem>();
        var totals = new List<double>();
        var samples = new List<CascadeSample>();
        var clock = Stopwatch.StartNew();
        foreach (var (file, label) in rows)
        {
            var outcome = await scanner.ScanAsync(Path.Combine(dir, file), cancellationToken);
            var verdict = outcome.Result?.Verdict;
            items.Add(new EvalItem(file, label, verdict?.Confidence, verdict?.TopLabels.FirstOrDefault() is { } t ? $"{t.Label} {t.Score:0.00}" : outcome.ErrorCode));
            if (label is "cat" or "nocat" && outcome.Result?.Diagnostics.RawResponse is { } raw && FirstLookScore(raw) is { } firstLook)
            {
                samples.Add(new CascadeSample(file, label == "cat", firstLook, verdict!.Confidence));
            }

            if (outcome.Result?.Diagnostics.TimingsMs.TryGetValue("total", out var ms) == true)
            {
                totals.Add(ms);
            }

            if (items.Count % 50 == 0)
            {
                await stderr.WriteLineAsync($"evaluated {items.Count}/{rows.Count} ({clock.Elapsed.TotalSeconds:0.0} s)");
            }
        }

        var report = EvalReport.Compute(items, local.Detector.Descriptor.Threshold);
        await stdout.WriteLineAsync($"detector       {local.Detector.Descriptor.Id} {local.Detector.Descriptor.ModelVersion}");
        await stdout.WriteAsync(report.Format());
        if (totals.Count > 0)
        {
            totals.Sort();
            await stdout.WriteLineAsync($"time per image {totals[totals.Count / 2]:0.0} ms median (decode + preprocess + inference, single stream)");
        }

        if (cascadeFolds is { } folds)
        {
            await stdout.WriteAsync(samples.Count == rows.Count(r => r.Label is "cat" or "nocat")
                ? CascadeBandFit.Report(samples, local.Detector.Descriptor.Threshold, folds)
                : "cascade bands  n/a: some images had no first-look score (first look turned off, or scan errors)\n");
        }

        return 0;
    }

    private static double? FirstLookScore(string rawResponse)
    {
        using var json = JsonDocument.Parse(rawResponse);
        return json.RootElement.TryGetProperty("firstLookCatScore", out var score) ? score.GetDouble() : null;
    }

    /// <summary>Reads the first two columns (file, label) of a CSV with a header; later columns may be quoted.</summary>
    internal static List<(string File, string Label)> ReadLabels(string path)
    {
        var rows = new List<(string, string)>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',', 3);
            if (fields.Length >= 2 && fields[1].Trim() is "cat" or "nocat" or "bigcat")
            {
                rows.Add((fields[0].Trim().Trim('"'), fields[1].Trim()));
            }
        }

        return rows;
    }
}
