using System.CommandLine;
using System.Diagnostics;
using CatWrangler.Cli.Scanning;

namespace CatWrangler.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Folder with labels.csv (columns file,label: cat, nocat or bigcat) and the images it names" };
        var threshold = new Option<double?>("--threshold") { Description = "Cat score needed for Yes (0..1); default: the detector's calibrated threshold" };
        var command = new Command("eval", "Accuracy report on a labelled folder: AUC, accuracy, recall, false-positive rate, misclassified files") { dir, threshold };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(dir)!, ScanCommand.Overrides(parse.GetValue(threshold)), Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string dir, IReadOnlyDictionary<string, string?> overrides, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var labels = Path.Combine(dir, "labels.csv");
        if (!File.Exists(labels))
        {
            await stderr.WriteLineAsync($"catscan eval: {labels} not found.");
            return 1;
        }

        var rows = ReadLabels(labels);
        using var local = ScanCommand.StartDetector(overrides, stderr);
        if (local is null)
        {
            return 2;
        }

        var scanner = new FileScanner(local.Validator, local.Detector);
        var items = new List<EvalItem>();
        var totals = new List<double>();
        var clock = Stopwatch.StartNew();
        foreach (var (file, label) in rows)
        {
            var outcome = await scanner.ScanAsync(Path.Combine(dir, file), cancellationToken);
            var verdict = outcome.Result?.Verdict;
            items.Add(new EvalItem(file, label, verdict?.Confidence, verdict?.TopLabels.FirstOrDefault() is { } t ? $"{t.Label} {t.Score:0.00}" : outcome.ErrorCode));
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

        return 0;
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
