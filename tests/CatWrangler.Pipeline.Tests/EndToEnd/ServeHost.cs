using Microsoft.AspNetCore.Builder;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CatWrangler.Cli.Commands;
using CatWrangler.Core.Json;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.Pipeline.Tests.Api;
using CatWrangler.TestSupport;

namespace CatWrangler.Pipeline.Tests.EndToEnd;

/// <summary>What the end-to-end tests share: settings for a real `catscan serve`, signed requests, polling.</summary>
internal static class ServeHost
{
    public static string Secret { get; } = StandardWebhooksSignature.NewSecret();

    public static Dictionary<string, string> Settings(string dataPath) => new()
    {
        ["CatWrangler:DataPath"] = dataPath,
        ["CatWrangler:Clients:acme:Secrets:0"] = Secret,
        ["CatWrangler:Detector:ModelDirectory"] = ModelFixture.ModelDirectory,
        ["CatWrangler:Detector:IntraOpThreads"] = "1",
        ["CatWrangler:Callbacks:AllowPrivateNetworks"] = "true",
    };

    /// <summary>The real one-process composition root, in this process, on a free port.</summary>
    public static async Task<WebApplication> StartInProcessAsync(
        string dataPath, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = Settings(dataPath);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var app = ServeCommand.Build("http://127.0.0.1:0", dataPath, [.. all.Select(kv => $"--{kv.Key}={kv.Value}")], configureServices);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>`catscan serve` as its own process, so it can be killed.</summary>
    public static Process StartProcess(string dataPath, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "catscan.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data", dataPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in Settings(dataPath))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static Task WaitHealthyAsync(HttpClient http, TimeSpan patience)
        => Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            patience,
            "catscan serve did not become healthy");

    public static async Task<ScanView> SubmitAsync(HttpClient http, string file, string? callbackUrl = null)
    {
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        var path = "/v1/scans" + (callbackUrl is null ? "" : "?callback_url=" + Uri.EscapeDataString(callbackUrl));
        var contentType = file.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg";
        using var request = ApiTestHost.Signed(HttpMethod.Post, path, ApiTestHost.Raw(bytes, contentType), secret: Secret);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, TestContext.Current.CancellationToken))!;
    }

    public static async Task<ScanView> GetAsync(HttpClient http, string id)
    {
        using var request = ApiTestHost.Signed(HttpMethod.Get, "/v1/scans/" + id, null, secret: Secret);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, TestContext.Current.CancellationToken))!;
    }

    public static Task<ScanView> WaitTerminalAsync(HttpClient http, string id, TimeSpan patience)
        => Eventually.ValueAsync(() => GetAsync(http, id), scan => scan.Status is ScanStatus.Done or ScanStatus.Failed, patience, $"scan {id} did not finish");
}
