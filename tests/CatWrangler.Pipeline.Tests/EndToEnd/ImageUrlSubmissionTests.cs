using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CatWrangler.Adapters.Http;
using CatWrangler.Core.Json;
using CatWrangler.Core.Scans;
using CatWrangler.Pipeline.Tests.Api;
using CatWrangler.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Pipeline.Tests.EndToEnd;

/// <summary>
/// <c>{"image":{"url":…}}</c> on the real one-process host: the API accepts it without bytes, the processor fetches it on
/// the guarded client (local servers on loopback, admitted port by port as production admits only public hosts).
/// </summary>
public sealed class ImageUrlSubmissionTests(ModelFixture model) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _data = Directory.CreateTempSubdirectory("catwrangler-url-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_url_serving_a_cat_jpeg_is_fetched_stored_and_classified()
    {
        Assert.True(File.Exists(model.ModelPath));
        var cat = await File.ReadAllBytesAsync(RepoPaths.EvalImage("cat_0046.jpg"), Ct);
        await using var server = new RawImageServer(RawImageServer.Fixed(200, "application/octet-stream", cat));
        await using var app = await StartAsync(new AdmitPorts(server.Port));
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/cat.jpg"));
        Assert.Null(accepted.Image);

        var done = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal(ScanStatus.Done, done.Status);
        Assert.True(done.Verdict!.IsCat);
        Assert.Equal(("image/jpeg", cat.Length), (done.Image!.ContentType, done.Image.Bytes));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_redirect_fails_the_scan_its_target_gets_nothing_and_the_callback_says_so()
    {
        await using var target = new RawImageServer(RawImageServer.Fixed(200, "image/jpeg", TestImages.Jpeg()));
        await using var server = new RawImageServer(RawImageServer.Fixed(302, "text/plain", [], $"Location: {target.Url("/cat.jpg")}\r\n"));
        using var receiver = WireMockServer.Start();
        receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        await using var app = await StartAsync(new AdmitPorts(server.Port, target.Port, receiver.Port));
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/moved.jpg"), receiver.Url + "/hook");

        var failed = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Failed, "image_fetch_failed"), (failed.Status, failed.Error!.Code));
        Assert.Contains("redirect_refused", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.Connections);

        var body = await WaitForCallbackAsync(receiver);
        using var callback = JsonDocument.Parse(body);
        var data = callback.RootElement.GetProperty("data");
        Assert.Equal((accepted.Id, "failed", "image_fetch_failed"), (
            data.GetProperty("id").GetString(), data.GetProperty("status").GetString(), data.GetProperty("error").GetProperty("code").GetString()));
    }

    public static TheoryData<string, string> NotImages() => new()
    {
        { "text/html", "<!doctype html><html><body>Log in to see this cat</body></html>" },
        { "image/gif", Convert.ToBase64String(TestImages.Gif()) },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public async Task A_url_serving_something_other_than_jpeg_or_png_fails_unsupported_format(string contentType, string body)
    {
        var bytes = contentType == "image/gif" ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
        await using var server = new RawImageServer(RawImageServer.Fixed(200, contentType, bytes));
        await using var app = await StartAsync(new AdmitPorts(server.Port));
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/not-an-image"));

        var failed = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Failed, "unsupported_format"), (failed.Status, failed.Error!.Code));
    }

    [Fact]
    public async Task A_truncated_jpeg_at_the_url_fails_truncated()
    {
        await using var server = new RawImageServer(RawImageServer.Fixed(200, "image/jpeg", TestImages.TruncatedJpeg()));
        await using var app = await StartAsync(new AdmitPorts(server.Port));
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/half.jpg"));

        var failed = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Failed, "truncated"), (failed.Status, failed.Error!.Code));
    }

    [Fact]
    public async Task A_chunked_body_without_length_over_the_cap_fails_too_large_and_is_not_read_to_its_end()
    {
        const int cap = 1024 * 1024;
        const long offered = 256L * 1024 * 1024;
        RawImageServer? server = null;
        server = new RawImageServer(async stream =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
            var chunk = new byte[64 * 1024];
            chunk[0] = 0xFF;
            chunk[1] = 0xD8;
            var framed = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();
            for (long sent = 0; sent < offered; sent += chunk.Length)
            {
                await stream.WriteAsync(framed);
                server!.CountWritten(chunk.Length);
            }
        });
        await using var owned = server;
        await using var app = await StartAsync(new AdmitPorts(server.Port), new Dictionary<string, string> { ["CatWrangler:Limits:MaxBytes"] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/endless.jpg"));

        var failed = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Failed, "too_large"), (failed.Status, failed.Error!.Code));
        // The fetcher hung up at the cap; only what socket buffers took can have been written beyond it.
        Assert.True(server.BytesWritten < 32L * 1024 * 1024, $"{server.BytesWritten} bytes were written before the fetcher hung up");
    }

    [Fact]
    public async Task A_server_error_is_retried_on_the_processor_backoff_and_the_next_attempt_completes()
    {
        var requests = 0;
        var png = TestImages.Png(80, 60);
        await using var server = new RawImageServer(stream => Interlocked.Increment(ref requests) == 1
            ? RawImageServer.Fixed(503, "text/plain", "busy"u8.ToArray())(stream)
            : RawImageServer.Fixed(200, "image/png", png)(stream));
        await using var app = await StartAsync(new AdmitPorts(server.Port), FastRetries);
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/busy.png"));

        var done = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Done, 2, png.Length), (done.Status, done.Attempts, done.Image!.Bytes));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_url_that_keeps_failing_with_server_errors_fails_image_fetch_failed_after_the_last_attempt()
    {
        await using var server = new RawImageServer(RawImageServer.Fixed(503, "text/plain", "busy"u8.ToArray()));
        await using var app = await StartAsync(new AdmitPorts(server.Port), FastRetries);
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/down.jpg"));

        var failed = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Failed, "image_fetch_failed", 2), (failed.Status, failed.Error!.Code, failed.Attempts));
        Assert.Contains("http_status", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_loopback_url_is_refused_by_the_default_address_policy_without_connecting()
    {
        await using var server = new RawImageServer(RawImageServer.Fixed(200, "image/jpeg", TestImages.Jpeg()));
        // The product policy with private networks disallowed, while the accept path (AllowPrivateNetworks in the test
        // settings) lets the loopback URL through: the connect-time guard alone must stop it.
        await using var app = await StartAsync(new OutboundAddressPolicy(allowPrivateNetworks: false));
        using var http = Client(app);

        var accepted = await SubmitAsync(http, server.Url("/cat.jpg"));

        var failed = await ServeHost.WaitTerminalAsync(http, accepted.Id, Patience);
        Assert.Equal((ScanStatus.Failed, "image_fetch_failed"), (failed.Status, failed.Error!.Code));
        Assert.Contains("address_refused", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task An_image_url_is_checked_up_front_like_a_callback_url()
    {
        await using var app = await ServeHost.StartInProcessAsync(_data, settings: new Dictionary<string, string> { ["CatWrangler:Callbacks:AllowPrivateNetworks"] = "false" });
        using var http = Client(app);

        foreach (var url in new[] { "http://example.com/cat.jpg", "https://127.0.0.1/cat.jpg", "https://169.254.169.254/latest", "cat.jpg" })
        {
            using var response = await http.SendAsync(await SignedAsync(url, null), Ct);
            await ScanApiTests.AssertProblemAsync(response, 400, "invalid_image_url");
        }
    }

    [Fact]
    public async Task The_same_url_under_one_webhook_id_is_one_scan_and_a_different_url_is_a_conflict()
    {
        await using var app = await StartAsync(new AdmitPorts());
        using var http = Client(app);

        using var first = await http.SendAsync(ApiTestHost.Signed(HttpMethod.Post, "/v1/scans", Json("http://127.0.0.1:9/a.jpg"), secret: ServeHost.Secret, webhookId: "msg_url"), Ct);
        using var again = await http.SendAsync(ApiTestHost.Signed(HttpMethod.Post, "/v1/scans", Json("http://127.0.0.1:9/a.jpg"), secret: ServeHost.Secret, webhookId: "msg_url"), Ct);
        using var other = await http.SendAsync(ApiTestHost.Signed(HttpMethod.Post, "/v1/scans", Json("http://127.0.0.1:9/b.jpg"), secret: ServeHost.Secret, webhookId: "msg_url"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!.Id,
            (await again.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!.Id);
        await ScanApiTests.AssertProblemAsync(other, 409, "webhook_id_reused");
    }

    private static readonly Dictionary<string, string> FastRetries = new()
    {
        ["CatWrangler:Processor:MaxAttempts"] = "2",
        ["CatWrangler:Processor:RetryDelay"] = "00:00:00.100",
        ["CatWrangler:Processor:PollInterval"] = "00:00:00.050",
    };

    private Task<WebApplication> StartAsync(IOutboundAddressPolicy policy, IReadOnlyDictionary<string, string>? settings = null)
        => ServeHost.StartInProcessAsync(_data, services => services.AddSingleton(policy), settings);

    private static HttpClient Client(WebApplication app)
        => new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

    private static StringContent Json(string imageUrl, string? callbackUrl = null)
        => new(JsonSerializer.Serialize(new { image = new { url = imageUrl }, callbackUrl }, CatWranglerJson.Options), Encoding.UTF8, "application/json");

    /// <summary>Signed by the official npm <c>standardwebhooks</c> library over the exact JSON text.</summary>
    private static Task<HttpRequestMessage> SignedAsync(string imageUrl, string? callbackUrl)
    {
        var json = JsonSerializer.Serialize(new { image = new { url = imageUrl }, callbackUrl }, CatWranglerJson.Options);
        return JsonSubmissionTests.OfficiallySignedAsync(HttpMethod.Post, "/v1/scans", json, secret: ServeHost.Secret);
    }

    private static async Task<ScanView> SubmitAsync(HttpClient http, string imageUrl, string? callbackUrl = null)
    {
        using var response = await http.SendAsync(await SignedAsync(imageUrl, callbackUrl), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ScanView>(CatWranglerJson.Options, Ct))!;
    }

    private static async Task<string> WaitForCallbackAsync(WireMockServer receiver)
    {
        await Eventually.TrueAsync(() => receiver.LogEntries.Any(), Patience, "no callback arrived");
        return Assert.Single(receiver.LogEntries).RequestMessage!.Body!;
    }

    /// <summary>Admits exactly the given loopback ports.</summary>
    private sealed class AdmitPorts(params int[] ports) : IOutboundAddressPolicy
    {
        public bool Permits(IPEndPoint endpoint) => IPAddress.IsLoopback(endpoint.Address) && ports.Contains(endpoint.Port);
    }
}
