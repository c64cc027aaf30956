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
        var output = new Option<string?>("--out") { Description = "Also write the Markdown table to this file (nothing is written unless named)" };
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
        double oursP50, oursRate;
        Console.Error.WriteLine($"bench: {images.Count} images, {cores} cores");
        var loadBefore = LoadAverage();

        // 1. Single stream, one session with every core for intra-op work.
        using (var single = await ScanCommand.StartDetectorAsync(Settings(cores), Console.Error, ct))
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
            var firstLook = 0;
            foreach (var img in images)
            {
                var sw = Stopwatch.StartNew();
                var r = detector.Detect(img);
                total.Add(sw.Elapsed.TotalMilliseconds);
                mirrored += r.Diagnostics.ModelInput?.Contains("mirrored", StringComparison.Ordinal) == true ? 1 : 0;
                firstLook += r.Diagnostics.ModelInput?.Contains("first look decided", StringComparison.Ordinal) == true ? 1 : 0;
                foreach (var (k, v) in r.Diagnostics.TimingsMs)
                {
                    (stages.TryGetValue(k, out var l) ? l : stages[k] = []).Add(v);
                }
            }

            oursP50 = Q(total, 0.5);
            rows.Add(["per image, single stream (decode + preprocess + inference)", $"p50 {oursP50:0.0} ms, p95 {Q(total, 0.95):0.0} ms (p95/p50 {Q(total, 0.95) / oursP50:0.0}x)", $"{cores} intra-op threads"]);
            rows.Add(["  of which decode / preprocess / inference (p50)", $"{Q(stages["decode"], 0.5):0.0} / {Q(stages["preprocess"], 0.5):0.0} / {Q(stages["inference"], 0.5):0.0} ms", $"settled by the first look on {firstLook}/{images.Count} images, extra views on {mirrored}/{images.Count}"]);
        }

        // 1b. CPU time per image with one intra-op thread: close to the latency on an idle core even when the machine is shared.
        using (var one = await ScanCommand.StartDetectorAsync(Settings(1), Console.Error, ct))
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
        var sessions = new List<LocalDetector?>();
        for (var i = 0; i < cores; i++)
        {
            sessions.Add(await ScanCommand.StartDetectorAsync(Settings(1), Console.Error, ct));
        }

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
            oursRate = work / wall.Elapsed.TotalSeconds;
            rows.Add(["throughput, all cores", $"{oursRate:0.0} images/s", $"{cores} sessions x 1 thread, {rounds} passes over {images.Count} images"]);
        }
        finally
        {
            sessions.ForEach(s => s?.Dispose());
        }

        // 3. Peak RSS of a real `catscan scan` process over the same files.
        var scanned = files.Take(100).ToList();
        var (rss, rssNote) = PeakRssOfScan(scanned);
        rows.Add([$"peak RSS, catscan scan over {scanned.Count} images", rss is { } kb ? $"{kb / 1024.0:0} MB" : $"n/a ({rssNote})", "VmHWM of the child process"]);

        // 4. The Node reference (TFJS wasm, as upstream runs it), same images, same machine, same run, and the ratios.
        if (nodeReference is null)
        {
            rows.Add(["Node reference", "n/a (no --node-reference folder given)", "ratios need it"]);
        }
        else
        {
            var node = NodeReference(nodeReference, source, images.Count);
            rows.AddRange(node.Rows);
            rows.Add(["ratio, single stream (Node p50 / ours p50)", node.P50 is { } p ? $"{p / oursP50:0.0}x" : "n/a (no Node single-stream figure)", "ours includes decode, Node excludes it"]);
            rows.Add(["ratio, throughput (ours / Node)", node.Rate is { } r ? $"{oursRate / r:0.0}x" : "n/a (no Node throughput figure)", $"{cores} cores each"]);
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{images.Count} images from {source}, {cores} cores, CPU flags: {CpuFlags()}, load average before the run: {loadBefore}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        table.AppendLine();
        table.AppendLine("| measure | value | setup |");
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

    /// <summary>
    /// Runs this same program as <c>catscan scan --json FILES</c> and samples its high-water RSS until it exits. Started through
    /// the <c>dotnet</c> host (<c>dotnet catscan.dll</c>) the host needs the entry assembly as its first argument; started as the
    /// <c>catscan</c> app host (also what <c>dotnet run</c> does) it must not get it.
    /// </summary>
    private static (long? Kb, string Note) PeakRssOfScan(List<string> files)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "needs Linux /proc");
        }

        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        }

        start.ArgumentList.Add("scan");
        start.ArgumentList.Add("--json");
        files.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var errors = new StringBuilder();
        var results = 0;
        process.OutputDataReceived += (_, e) => results += e.Data is { Length: > 0 } ? 1 : 0;
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, VmHwmKb(process.Id) ?? 0);
        }

        process.WaitForExit();

        // scan exits 1 when some file is rejected, but it must have answered: a command-line error also exits 1, with no output.
        if (process.ExitCode is not (0 or 1) || results == 0)
        {
            var reason = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "no message";
            return (null, $"catscan scan exited with {process.ExitCode}: {reason}");
        }

        return peak > 0 ? (peak, string.Empty) : (null, "the child exited before /proc could be read");
    }

    private static string CpuFlags()
    {
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':')[1]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() ?? [];
            var wanted = new[] { "avx", "avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni" };
            return string.Join(' ', wanted.Where(flags.Contains)) is { Length: > 0 } present ? present : "none of avx/avx2/fma/avx512";
        }
        catch (IOException)
        {
            return "unknown (no /proc/cpuinfo)";
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
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

    /// <summary>Node rows plus its single-stream p50 (ms) and 2-process throughput (images/s) when measured.</summary>
    private sealed record NodeFigures(List<string[]> Rows, double? P50, double? Rate);

    /// <summary>refdet bench.mjs with letterbox (the reference pre-processing), single process, then two shards in parallel.</summary>
    private static NodeFigures NodeReference(string dir, string source, int count)
    {
        // Absolute: node runs with the script's folder as its working directory.
        var script = Path.GetFullPath(Path.Combine(dir, "bench.mjs"));
        if (!File.Exists(script))
        {
            return new NodeFigures([["Node reference", "n/a", $"{script} not found"]], null, null);
        }

        // Node runs in its own folder: hand it an absolute path.
        var src = Path.GetFullPath(Directory.Exists(source) && File.Exists(Path.Combine(source, "labels.csv")) ? Path.Combine(source, "labels.csv") : source);
        var rows = new List<string[]>();
        double? p50 = null;
        var (single, why) = RunNode(script, src, count, shard: null);
        if (single?.RootElement is { } s)
        {
            var infer = s.GetProperty("inferMs");
            p50 = infer.GetProperty("median").GetDouble();
            rows.Add(["Node reference per image (preprocess + inference, decode excluded)", $"p50 {p50:0.0} ms, p95 {infer.GetProperty("p95").GetDouble():0.0} ms", $"TFJS wasm, letterbox, 1 process, {Images(s, count)} images"]);
        }
        else
        {
            rows.Add(["Node reference per image", $"n/a ({why})", "TFJS wasm, letterbox, 1 process"]);
        }

        // Two processes on the two cores; each reports its own per-image time, so the rate excludes model load and decode.
        var shards = Enumerable.Range(0, 2).Select(i => Task.Run(() => RunNode(script, src, count, $"{i}/2"))).ToArray();
        Task.WaitAll(shards);
        var failed = shards.Select(t => t.Result).FirstOrDefault(r => r.Json is null);
        double? rate = failed.Why is null
            ? shards.Sum(t => 1000 / t.Result.Json!.RootElement.GetProperty("inferMs").GetProperty("mean").GetDouble())
            : null;
        rows.Add(["Node reference throughput, 2 processes", rate is { } r ? $"{r:0.0} images/s" : $"n/a ({failed.Why})", "sum of 1000 / mean per-image ms of each process (decode excluded)"]);
        return new NodeFigures(rows, p50, rate);
    }

    private static string Images(JsonElement result, int asked)
        => result.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32().ToString(CultureInfo.InvariantCulture) : $"up to {asked}";

    private static (JsonDocument? Json, string? Why) RunNode(string script, string source, int count, string? shard)
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
            if (p.ExitCode != 0 || last is null)
            {
                var lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var message = (lines.FirstOrDefault(l => l.Contains("Error", StringComparison.Ordinal)) ?? lines.FirstOrDefault())?.Trim() ?? "no message";
                return (null, $"node exited with {p.ExitCode}: {message}");
            }

            try
            {
                var json = JsonDocument.Parse(last);
                return json.RootElement.TryGetProperty("inferMs", out _) ? (json, null) : (null, "bench.mjs printed no inferMs");
            }
            catch (JsonException)
            {
                return (null, "bench.mjs printed no JSON result");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"cannot start node: {e.Message}");
        }
    }
}
