using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CatWrangler.Cli.Scanning;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using CatWrangler.Detection.Onnx;

namespace CatWrangler.Cli.Commands;

/// <summary>
/// Latency, throughput and memory of the detector on real images, with the Node reference measured in the same run.
/// Run it on a quiet machine: numbers taken while other work runs are only upper bounds.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("images") { Description = "A folder of JPEG/PNG images or a labels.csv (e.g. ../shared/eval)" };
        var count = new Option<int>("--images") { Description = "How many images (sorted by name)", DefaultValueFactory = _ => 100 };
        var rounds = new Option<int>("--rounds") { Description = "Passes over the images for the throughput run", DefaultValueFactory = _ => 2 };
        var node = new Option<string?>("--node-reference") { Description = "Folder with the Node reference's bench.mjs (REFDET_HOME must point at its setup); omitted: skipped" };
        var output = new Option<string?>("--out") { Description = "Also write the Markdown table to this file" };
        var command = new Command("bench", "Detector latency (p50/p95), throughput on all cores and peak RSS of catscan scan, beside the Node reference")
        {
            source, count, rounds, node, output,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(source)!, parse.GetValue(count), parse.GetValue(rounds), parse.GetValue(node), parse.GetValue(output), ct));
        return command;
    }

    private static async Task<int> RunAsync(string source, int count, int rounds, string? nodeReference, string? output, CancellationToken ct)
    {
        var files = ImageFiles(source).Take(count).ToList();
        var validator = new ImageValidator(new ImageLimits());
        var images = new List<byte[]>();
        foreach (var f in files)
        {
            var bytes = await File.ReadAllBytesAsync(f, ct);
            if (validator.Check(bytes) is ImageCheck.Accepted)
            {
                images.Add(bytes);
            }
        }

        if (images.Count == 0)
        {
            await Console.Error.WriteLineAsync($"catscan bench: no usable JPEG/PNG images in {source}.");
            return 1;
        }

        var rows = new List<string[]>();
        var cores = Environment.ProcessorCount;
        Console.Error.WriteLine($"bench: {images.Count} images, {cores} cores");

        // 1. Single stream, one session with every core for intra-op work.
        using (var single = ScanCommand.StartDetector(Settings(cores), Console.Error))
        {
            if (single is null)
            {
                return 2;
            }

            var detector = (OnnxCatDetector)single.Detector;
            Warm(detector, images);
            var total = new List<double>();
            var stages = new Dictionary<string, List<double>>();
            var mirrored = 0;
            foreach (var img in images)
            {
                var sw = Stopwatch.StartNew();
                var r = detector.Detect(img);
                total.Add(sw.Elapsed.TotalMilliseconds);
                mirrored += r.Diagnostics.ModelInput?.Contains("mirrored", StringComparison.Ordinal) == true ? 1 : 0;
                foreach (var (k, v) in r.Diagnostics.TimingsMs)
                {
                    (stages.TryGetValue(k, out var l) ? l : stages[k] = []).Add(v);
                }
            }

            rows.Add(["per image, single stream (decode + preprocess + inference)", $"p50 {Q(total, 0.5):0.0} ms, p95 {Q(total, 0.95):0.0} ms", $"{cores} intra-op threads"]);
            rows.Add(["  of which decode / preprocess / inference (p50)", $"{Q(stages["decode"], 0.5):0.0} / {Q(stages["preprocess"], 0.5):0.0} / {Q(stages["inference"], 0.5):0.0} ms", $"mirrored second pass on {mirrored}/{images.Count} images"]);
        }

        // 1b. CPU time per image with one intra-op thread: close to the latency on an idle core even when the machine is shared.
        using (var one = ScanCommand.StartDetector(Settings(1), Console.Error))
        {
            if (one is null)
            {
                return 2;
            }

            var detector = (OnnxCatDetector)one.Detector;
            Warm(detector, images);
            var self = Process.GetCurrentProcess();
            var cpu = new List<double>();
            foreach (var img in images)
            {
                self.Refresh();
                var before = self.TotalProcessorTime;
                detector.Detect(img);
                self.Refresh();
                cpu.Add((self.TotalProcessorTime - before).TotalMilliseconds);
            }

            rows.Add(["CPU time per image, 1 intra-op thread (load-independent)", $"p50 {Q(cpu, 0.5):0.0} ms, mean {cpu.Average():0.0} ms", $"{cores} idle cores would give about {cores * 1000 / cpu.Average():0} images/s"]);
        }

        // 2. Throughput: one single-threaded session per core, all busy.
        var sessions = Enumerable.Range(0, cores).Select(_ => ScanCommand.StartDetector(Settings(1), Console.Error)).ToList();
        try
        {
            if (sessions.Any(s => s is null))
            {
                return 2;
            }

            var detectors = sessions.Select(s => (OnnxCatDetector)s!.Detector).ToList();
            foreach (var d in detectors)
            {
                Warm(d, images);
            }

            var next = -1;
            var work = images.Count * rounds;
            var wall = Stopwatch.StartNew();
            var threads = detectors.Select(d => new Thread(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < work)
                {
                    d.Detect(images[i % images.Count]);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            rows.Add(["throughput, all cores", $"{work / wall.Elapsed.TotalSeconds:0.0} images/s", $"{cores} sessions x 1 thread"]);
        }
        finally
        {
            sessions.ForEach(s => s?.Dispose());
        }

        // 3. Peak RSS of a real `catscan scan` process over the same files.
        var rss = PeakRssOfScan(files.Take(100).ToList());
        rows.Add(["peak RSS, catscan scan over 100 images", rss is { } kb ? $"{kb / 1024.0:0} MB" : "n/a (needs /proc)", "VmHWM of the child process"]);

        // 4. The Node reference (TFJS wasm, as upstream runs it), same images, same machine, same run.
        if (nodeReference is not null)
        {
            foreach (var row in NodeReference(nodeReference, source, images.Count))
            {
                rows.Add(row);
            }
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| measure ({images.Count} images from {Path.GetFileName(Path.TrimEndingDirectorySeparator(source))}, {cores} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC) | value | setup |");
        table.AppendLine("|---|---|---|");
        foreach (var r in rows)
        {
            table.AppendLine($"| {r[0]} | {r[1]} | {r[2]} |");
        }

        Console.Out.Write(table);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, table.ToString(), ct);
        }

        return 0;
    }

    private static Dictionary<string, string?> Settings(int threads) => new() { ["CatWrangler:Detector:IntraOpThreads"] = threads.ToString(CultureInfo.InvariantCulture) };

    private static void Warm(OnnxCatDetector detector, List<byte[]> images)
    {
        for (var i = 0; i < Math.Min(5, images.Count); i++)
        {
            detector.Detect(images[i]);
        }
    }

    private static IEnumerable<string> ImageFiles(string source)
    {
        if (File.Exists(source) && source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(source))!;
            return EvalCommand.ReadLabels(source).Select(r => Path.Combine(dir, r.File)).Order(StringComparer.Ordinal);
        }

        return FileScanner.Expand([source]);
    }

    private static double Q(List<double> xs, double p)
    {
        var s = xs.Order().ToList();
        var i = (s.Count - 1) * p;
        var lo = (int)Math.Floor(i);
        var hi = (int)Math.Ceiling(i);
        return s[lo] + ((s[hi] - s[lo]) * (i - lo));
    }

    /// <summary>Runs this same executable as <c>catscan scan --json FILES</c> and samples its high-water RSS until it exits.</summary>
    private static long? PeakRssOfScan(List<string> files)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var entry = Environment.GetCommandLineArgs()[0];
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(entry);
        }

        start.ArgumentList.Add("scan");
        start.ArgumentList.Add("--json");
        files.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, VmHwmKb(process.Id) ?? 0);
        }

        return peak > 0 ? peak : null;
    }

    private static long? VmHwmKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>refdet bench.mjs with letterbox (the reference pre-processing), single process, then two shards in parallel.</summary>
    private static IEnumerable<string[]> NodeReference(string dir, string source, int count)
    {
        var script = Path.Combine(dir, "bench.mjs");
        if (!File.Exists(script))
        {
            yield return ["Node reference", "n/a", $"{script} not found"];
            yield break;
        }

        // Node runs in its own folder: hand it an absolute path.
        var src = Path.GetFullPath(Directory.Exists(source) && File.Exists(Path.Combine(source, "labels.csv")) ? Path.Combine(source, "labels.csv") : source);
        var single = RunNode(script, src, count, shard: null);
        if (single?.RootElement is { } s)
        {
            var infer = s.GetProperty("inferMs");
            yield return ["Node reference per image (preprocess + inference, decode excluded)", $"p50 {infer.GetProperty("median").GetDouble():0.0} ms, p95 {infer.GetProperty("p95").GetDouble():0.0} ms", "TFJS wasm, letterbox, 1 process"];
        }

        // Two processes on the two cores; each reports its own per-image time, so the rate excludes model load and decode.
        var shards = Enumerable.Range(0, 2).Select(i => Task.Run(() => RunNode(script, src, count, $"{i}/2"))).ToArray();
        Task.WaitAll(shards);
        var rate = shards.Sum(t => t.Result?.RootElement.GetProperty("inferMs").GetProperty("mean").GetDouble() is { } mean and > 0 ? 1000 / mean : 0);
        yield return ["Node reference throughput, 2 processes", rate > 0 ? $"{rate:0.0} images/s" : "n/a", "sum of 1000 / mean per-image ms of each process (decode excluded)"];
    }

    private static JsonDocument? RunNode(string script, string source, int count, string? shard)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(script)! };
        foreach (var a in new[] { script, "--model", "centernet", "--prep", "letterbox", "--n", count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        if (shard is not null)
        {
            start.ArgumentList.Add("--shard");
            start.ArgumentList.Add(shard);
        }

        start.ArgumentList.Add(source);
        try
        {
            using var p = Process.Start(start)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            return p.ExitCode == 0 && last is not null ? JsonDocument.Parse(last) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
