using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CatWrangler.Core.Security;
using SkiaSharp;

namespace CatWrangler.LoadTest;

/// <summary>
/// Starts `catscan serve` (or the webhooks module alone, see <see cref="AcceptPathHost"/>) on a temp data folder, drives N concurrent signed clients posting 100–300 KB JPEGs for a fixed time,
/// and reports accepted uploads/s, accept latency percentiles and the server's peak RSS.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["host", .. var hostArgs])
        {
            return await AcceptPathHost.RunAsync(hostArgs);
        }

        var options = LoadOptions.Parse(args);
        var images = LoadImages(options.ImagesDirectory);
        Console.WriteLine($"{images.Count} JPEGs, {images.Min(i => i.Length) / 1024}–{images.Max(i => i.Length) / 1024} KB, from {options.ImagesDirectory ?? "generated noise"}");

        var dataPath = Path.Combine(Path.GetTempPath(), "catwrangler-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataPath);
        var secret = StandardWebhooksSignature.NewSecret();
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        using var server = StartServer(options, dataPath, baseUrl, secret);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, UseProxy = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
            await WaitHealthyAsync(http, server);

            Console.WriteLine($"warm-up {options.WarmUp.TotalSeconds:0} s, then {options.Duration.TotalSeconds:0} s with {options.Clients} clients{(options.Rate is { } r ? $" offering {r:0} uploads/s" : " back to back")} against {baseUrl}");
            await RunAsync(http, images, secret, options.Clients, options.Rate, options.WarmUp, record: null);
            var samples = new List<Sample>[options.Clients];
            var wall = Stopwatch.StartNew();
            await RunAsync(http, images, secret, options.Clients, options.Rate, options.Duration, samples);
            wall.Stop();
            var peakRssMb = PeakRssMb(server.Id);

            var report = Report(options, images, samples.SelectMany(s => s).ToList(), wall.Elapsed, peakRssMb);
            Console.WriteLine(report);
            if (options.Output is { } output)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                await File.WriteAllTextAsync(output, report);
                Console.WriteLine($"written to {output}");
            }

            return 0;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            Directory.Delete(dataPath, recursive: true);
        }
    }

    private sealed record Sample(double Milliseconds, int Status);

    /// <summary>
    /// Every upload carries a unique COM segment so no two bodies hash alike. Without a rate each client posts back to back
    /// (closed loop: throughput = clients / latency). With a rate, upload k is due at start + k / rate and goes out on the
    /// next free client; its latency counts from the due time, so time spent waiting for a free client is included
    /// (no coordinated omission).
    /// </summary>
    private static async Task RunAsync(HttpClient http, IReadOnlyList<byte[]> images, string secret, int clients, double? rate, TimeSpan duration, List<Sample>[]? record)
    {
        var start = Stopwatch.GetTimestamp();
        var until = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long next = -1;
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var samples = new List<Sample>();
            if (record is not null)
            {
                record[worker] = samples;
            }

            for (var n = 0; ; n++)
            {
                var due = rate is { } r ? start + (long)(Interlocked.Increment(ref next) / r * Stopwatch.Frequency) : Stopwatch.GetTimestamp();
                if (due >= until)
                {
                    return;
                }

                var body = Unique(images[(worker * 7919 + n) % images.Count], $"load {worker} {n} {Guid.NewGuid():N}");
                var id = $"msg_{worker}_{n}_{Guid.NewGuid():N}";
                var now = DateTimeOffset.UtcNow;
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/scans") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                request.Headers.Add("CatWrangler-Client", "load");
                request.Headers.Add(StandardWebhooksSignature.IdHeader, id);
                request.Headers.Add(StandardWebhooksSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                request.Headers.Add(StandardWebhooksSignature.SignatureHeader, StandardWebhooksSignature.Sign(secret, id, now, body));
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                int status;
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.LoadIntoBufferAsync();
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                catch (TaskCanceledException)
                {
                    status = -1;
                }

                samples.Add(new Sample(Stopwatch.GetElapsedTime(due).TotalMilliseconds, status));
            }
        }));
        await Task.WhenAll(workers);
    }

    private static string Report(LoadOptions options, IReadOnlyList<byte[]> images, List<Sample> samples, TimeSpan wall, double peakRssMb)
    {
        var accepted = samples.Where(s => s.Status == (int)HttpStatusCode.Accepted).Select(s => s.Milliseconds).Order().ToArray();
        var failures = samples.Where(s => s.Status != (int)HttpStatusCode.Accepted).GroupBy(s => s.Status).Select(g => $"{g.Key}: {g.Count()}");
        double P(double q) => accepted.Length == 0 ? double.NaN : accepted[Math.Min(accepted.Length - 1, (int)Math.Ceiling(q * accepted.Length) - 1)];
        var rate = accepted.Length / wall.TotalSeconds;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| measure | value | target |");
        text.AppendLine("|---|---|---|");
        if (options.Rate is { } offered)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| offered uploads/s (open loop) | {offered:0} | |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| accepted uploads/s | {rate:0} | ≥ 300 |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| accept latency p50 | {P(0.50):0.0} ms | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| accept latency p99 | {P(0.99):0.0} ms | ≤ 50 ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| accept latency max | {(accepted.Length > 0 ? accepted[^1] : double.NaN):0.0} ms | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| peak RSS of the server (VmHWM) | {peakRssMb:0} MB | ≤ 400 MB |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| accepted / other answers | {accepted.Length} / {string.Join(", ", failures).DefaultIfEmpty("none")} | |");
        text.AppendLine();
        var mode = options.Rate is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"offering {r:0} uploads/s between them (open loop; latency counted from each upload's due time)")
            : "posting back to back (closed loop)";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Server: {(options.ServeDll is null ? "webhooks module alone on the local adapters (LoadTest host mode)" : "catscan serve")}. {options.Clients} clients {mode}, "
            + $"{options.Duration.TotalSeconds:0} s measured after {options.WarmUp.TotalSeconds:0} s warm-up, {images.Count} JPEGs of "
            + $"{images.Min(i => i.Length) / 1024}–{images.Max(i => i.Length) / 1024} KB (each upload made unique), {Environment.ProcessorCount} cores, "
            + $"load average at the end: {load}.");
        return text.ToString();
    }

    private static string DefaultIfEmpty(this string value, string fallback) => value.Length == 0 ? fallback : value;

    private static Process StartServer(LoadOptions options, string dataPath, Uri baseUrl, string secret)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.ServeDll is { } serve)
        {
            start.ArgumentList.Add(serve);
            start.ArgumentList.Add("serve");
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(baseUrl.ToString().TrimEnd('/'));
            start.ArgumentList.Add("--data");
            start.ArgumentList.Add(dataPath);
        }
        else
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add("host");
            start.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
            start.Environment["CatWrangler__DataPath"] = dataPath;
        }

        start.Environment["CatWrangler__Clients__load__Secrets__0"] = secret;
        start.Environment["CatWrangler__Api__RequestsPerSecond"] = "100000";
        start.Environment["CatWrangler__Api__Burst"] = "100000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in options.ServerEnvironment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("[serve] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[serve] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {server.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the server did not answer /healthz within 60 s");
    }

    /// <summary>Peak resident set of the process (VmHWM), in MB; Linux only.</summary>
    private static double PeakRssMb(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return double.NaN;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Inserts a JPEG comment segment right after SOI: a valid JPEG with different bytes (content-addressed storage dedupes equal ones).</summary>
    private static byte[] Unique(byte[] jpeg, string comment)
    {
        var text = Encoding.ASCII.GetBytes(comment);
        var segmentLength = text.Length + 2;
        var result = new byte[jpeg.Length + 2 + segmentLength];
        result[0] = 0xFF;
        result[1] = 0xD8;
        result[2] = 0xFF;
        result[3] = 0xFE;
        result[4] = (byte)(segmentLength >> 8);
        result[5] = (byte)segmentLength;
        text.CopyTo(result, 6);
        jpeg.AsSpan(2).CopyTo(result.AsSpan(6 + text.Length));
        return result;
    }

    private static List<byte[]> LoadImages(string? directory)
    {
        if (directory is not null)
        {
            var files = Directory.EnumerateFiles(directory, "*.jpg")
                .Select(f => new FileInfo(f))
                .Where(f => f.Length is >= 100_000 and <= 300_000)
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => File.ReadAllBytes(f.FullName))
                .ToList();
            if (files.Count > 0)
            {
                return files;
            }
        }

        // No photos: noisy JPEGs compress about as badly as photos, so they land in the same size range.
        var random = new Random(42);
        return [.. Enumerable.Range(0, 16).Select(i => NoiseJpeg(random, 360 + (i * 16), 270 + (i * 12)))];
    }

    private static byte[] NoiseJpeg(Random random, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        var pixels = new byte[width * height * 4];
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 75);
        return data.ToArray();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Command line: --clients 32 --duration 30 --warmup 5 [--rate 300] --serve PATH/catscan.dll --images DIR --out FILE --env KEY=VALUE.
/// Without --serve, the webhooks module is hosted alone on the local adapters in a child process (`host` mode).
/// </summary>
public sealed record LoadOptions(int Clients, double? Rate, TimeSpan Duration, TimeSpan WarmUp, string? ServeDll, string? ImagesDirectory, string? Output, IReadOnlyList<(string Key, string Value)> ServerEnvironment)
{
    public static LoadOptions Parse(string[] args)
    {
        int clients = 32, duration = 30, warmUp = 5;
        double? rate = null;
        string? serve = null, images = Environment.GetEnvironmentVariable("CATWRANGLER_EVAL_DIR") is { } eval ? Path.Combine(eval, "images") : null, output = null;
        var environment = new List<(string, string)>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i++])
            {
                case "--clients": clients = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmUp = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--serve": serve = value; break;
                case "--images": images = value; break;
                case "--out": output = value; break;
                case "--env": environment.Add((value[..value.IndexOf('=')], value[(value.IndexOf('=') + 1)..])); break;
                default: throw new ArgumentException("unknown option " + args[i - 1]);
            }
        }

        return new LoadOptions(clients, rate, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmUp),
            serve, images, output, environment);
    }
}
