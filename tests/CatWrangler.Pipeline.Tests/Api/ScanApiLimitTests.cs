using System.Net;
using System.Net.Sockets;
using System.Text;
using CatWrangler.Core.Security;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>Body-size limits enforced while streaming, and the per-client rate limit.</summary>
public sealed class ScanApiLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_gigabyte_declared_body_is_refused_with_413_before_it_is_sent()
    {
        await using var host = await StartAsync();
        using var socket = new TcpClient();
        await socket.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, Ct);
        var stream = socket.GetStream();

        // Only the headers and 64 KB of the promised gigabyte are ever sent.
        var now = DateTimeOffset.UtcNow;
        var head = $"POST /v1/scans HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nContent-Type: image/jpeg\r\nContent-Length: {1L << 30}\r\n"
            + $"{ApiHeaders.Client}: {Acme}\r\n{ApiHeaders.WebhookId}: msg_big\r\n{ApiHeaders.WebhookTimestamp}: {now.ToUnixTimeSeconds()}\r\n"
            + $"{ApiHeaders.WebhookSignature}: {StandardWebhooksSignature.Sign(AcmeSecret, "msg_big", now, [])}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        await stream.WriteAsync(new byte[64 * 1024], Ct);

        var response = await ReadResponseAsync(stream);

        Assert.StartsWith("HTTP/1.1 413", response);
        Assert.Contains("application/problem+json", response);
        Assert.Contains("\"code\":\"too_large\"", response);
        Assert.Empty(host.Scans.Scans);
        Assert.Empty(host.Images.Images);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_refused_with_413()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["CatWrangler:Limits:MaxBytes"] = "1048576" });
        var body = new byte[3 * 1024 * 1024];
        TestImages.Jpeg().CopyTo(body, 0);
        using var request = Signed(HttpMethod.Post, "/v1/scans", Raw(body, "image/jpeg"));
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length: sent chunked
        request.Content.Headers.ContentType = new("image/jpeg");
        request.Headers.TransferEncodingChunked = true;

        using var response = await host.Http.SendAsync(request, Ct);

        await ScanApiTests.AssertProblemAsync(response, 413, "too_large");
        Assert.Empty(host.Scans.Scans);
        Assert.Empty(host.Images.Images);
    }

    [Fact]
    public async Task Body_over_the_limit_with_content_length_is_refused_with_413()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["CatWrangler:Limits:MaxBytes"] = "100000" });
        var body = new byte[100_001];
        TestImages.Jpeg().CopyTo(body, 0);

        using var response = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(body, "image/jpeg")), Ct);

        await ScanApiTests.AssertProblemAsync(response, 413, "too_large");
        Assert.Empty(host.Scans.Scans);
    }

    [Fact]
    public async Task Client_over_its_rate_is_429_with_retry_after_and_others_are_unaffected()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["CatWrangler:Api:RequestsPerSecond"] = "1",
            ["CatWrangler:Api:Burst"] = "2",
        });

        // Sent at once, so the bucket (2, refilled at 1/s) runs dry however slowly a loaded machine serves them; the
        // count of admitted requests is bounded by the burst plus what could refill while they ran.
        var started = TimeProvider.System.GetTimestamp();
        const int Sent = 12;
        var responses = await Task.WhenAll(Enumerable.Range(0, Sent).Select(i => i == 0
            ? host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg")), Ct)
            : host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans", null), Ct)));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        using var otherClient = await host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans", null, client: Debugger), Ct);

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
        Assert.InRange(Sent - limited.Count, 2, 2 + (int)Math.Ceiling(elapsed.TotalSeconds));
        await ScanApiTests.AssertProblemAsync(limited[0], 429, "rate_limited");
        Assert.All(limited, r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);

        // A limited upload leaves nothing behind; an admitted one is a scan.
        Assert.Equal(responses[0].StatusCode == HttpStatusCode.Accepted ? 1 : 0, host.Scans.Scans.Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        while (!text.ToString().Contains("}", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Ct);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
