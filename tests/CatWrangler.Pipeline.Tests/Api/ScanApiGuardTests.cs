using System.Net;
using System.Text;
using CatWrangler.Core.Security;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.TestSupport;
using CatWrangler.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CatWrangler.Pipeline.Tests.Api.ApiTestHost;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>Callers who are unknown, malformed or hostile: each costs a 4xx/503 problem and bounded work, never a 500.</summary>
public sealed class ScanApiGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Timestamp_past_year_9999_is_401_not_500()
    {
        await using var host = await StartAsync();
        using var request = Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"));
        request.Headers.Remove(ApiHeaders.WebhookTimestamp);
        request.Headers.Add(ApiHeaders.WebhookTimestamp, "999999999999");

        using var response = await host.Http.SendAsync(request, Ct);

        await ScanApiTests.AssertProblemAsync(response, 401, "stale_timestamp");
        AssertNoErrorLogged(host);
    }

    [Fact]
    public async Task Stale_timestamp_is_refused_before_the_body_is_sent()
    {
        await using var host = await StartAsync();
        await using var raw = await RawHttp.ConnectAsync(host.BaseAddress, Ct);
        var stale = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds().ToString();

        // Headers only: the server must answer without waiting for the promised megabyte.
        await raw.SendAsync(RawHttp.SignedHead(host.BaseAddress, "Content-Length: 1048576", [], timestamp: stale), Ct);
        var response = await raw.ReadResponseAsync(Ct);

        Assert.StartsWith("HTTP/1.1 401", response);
        Assert.Contains("\"code\":\"stale_timestamp\"", response);
    }

    [Fact]
    public async Task Client_ids_match_exactly()
    {
        await using var host = await StartAsync();

        using var upper = await host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans", null, client: "ACME", secret: AcmeSecret), Ct);
        using var exact = await host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans", null, client: Acme), Ct);

        await ScanApiTests.AssertProblemAsync(upper, 401, "unknown_client");
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
    }

    [Fact]
    public async Task Unknown_clients_cost_no_secret_lookup_and_their_log_lines_are_capped()
    {
        var lookups = 0;
        await using var host = await StartAsync(services: s => s.AddSingleton<ISecretStore>(provider =>
            new CountingSecretStore(new ConfigurationSecretStore(provider.GetRequiredService<IConfiguration>()), () => Interlocked.Increment(ref lookups))));

        for (var i = 0; i < 3 * AuthFailureLog.LinesPerMinute; i++)
        {
            using var response = await host.Http.SendAsync(Signed(HttpMethod.Get, "/v1/scans", null, client: $"stranger{i}"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, lookups);
        var warnings = host.Logs.GetSnapshot().Count(r => r.Level == LogLevel.Warning && r.Category == typeof(AuthFailureLog).FullName);
        Assert.Equal(AuthFailureLog.LinesPerMinute, warnings);
    }

    [Fact]
    public async Task Bad_chunk_size_is_a_400_problem()
    {
        await using var host = await StartAsync();
        await using var raw = await RawHttp.ConnectAsync(host.BaseAddress, Ct);

        await raw.SendAsync(RawHttp.SignedHead(host.BaseAddress, "Transfer-Encoding: chunked", []) + "zz\r\nabc\r\n0\r\n\r\n", Ct);
        var response = await raw.ReadResponseAsync(Ct);

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.Contains("application/problem+json", response);
        Assert.Contains("\"code\":\"invalid_body\"", response);
        AssertNoErrorLogged(host);
    }

    [Fact]
    public async Task Multipart_without_its_closing_boundary_is_a_400_problem()
    {
        await using var host = await StartAsync();
        var head = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
        byte[] body = [.. Encoding.ASCII.GetBytes(head), .. TestImages.Jpeg()];

        using var response = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(body, "multipart/form-data; boundary=b0undary")), Ct);

        await ScanApiTests.AssertProblemAsync(response, 400, "invalid_multipart");
        Assert.Empty(host.Scans.Scans);
        AssertNoErrorLogged(host);
    }

    [Fact]
    public async Task Upload_aborted_mid_body_closes_quietly_and_gives_its_budget_back()
    {
        await using var host = await StartAsync();
        var budget = host.Services.GetRequiredService<PreAuthBodyBudget>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var aborted = FirstLogAsync(host, id: 3007, timeout.Token);

        await using (var raw = await RawHttp.ConnectAsync(host.BaseAddress, Ct))
        {
            await raw.SendAsync(RawHttp.SignedHead(host.BaseAddress, "Content-Length: 1048576", []), Ct);
            await raw.SendAsync(new byte[10_000], Ct);
        }

        await aborted;
        Assert.Equal(0, budget.InUse);
        AssertNoErrorLogged(host);
        using var after = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    [Fact]
    public async Task Bad_signature_on_a_large_body_is_401_and_gives_its_budget_back()
    {
        await using var host = await StartAsync();
        var body = new byte[3 * 1024 * 1024 + 17];
        TestImages.Jpeg().CopyTo(body, 0);

        using var response = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(body, "image/jpeg"), secret: DebuggerSecret), Ct);

        await ScanApiTests.AssertProblemAsync(response, 401, "invalid_signature");
        Assert.Equal(0, host.Services.GetRequiredService<PreAuthBodyBudget>().InUse);
        Assert.Empty(host.Scans.Scans);
    }

    [Fact]
    public async Task Body_past_the_unauthenticated_budget_is_503_with_retry_after_before_it_is_read()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["CatWrangler:Api:PreAuthBodyBudgetBytes"] = "1000000",
            ["CatWrangler:Api:PreAuthBodyBytesPerClient"] = "1000000",
        });
        await using var raw = await RawHttp.ConnectAsync(host.BaseAddress, Ct);

        await raw.SendAsync(RawHttp.SignedHead(host.BaseAddress, "Content-Length: 1000001", []), Ct);
        var response = await raw.ReadResponseAsync(Ct);

        Assert.StartsWith("HTTP/1.1 503", response);
        Assert.Contains("Retry-After: 1", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"code\":\"busy\"", response);
        using var small = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
    }

    [Fact]
    public async Task One_client_id_cannot_use_up_the_budget_of_another()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["CatWrangler:Api:PreAuthBodyBudgetBytes"] = "4000000",
            ["CatWrangler:Api:PreAuthBodyBytesPerClient"] = "1500000",
        });
        await using var first = await RawHttp.ConnectAsync(host.BaseAddress, Ct);
        await using var second = await RawHttp.ConnectAsync(host.BaseAddress, Ct);

        // The first holds its reservation while its body trickles; the second of the same id does not fit beside it.
        await first.SendAsync(RawHttp.SignedHead(host.BaseAddress, "Content-Length: 1000000", []), Ct);
        await first.SendAsync(new byte[1000], Ct);
        var budget = host.Services.GetRequiredService<PreAuthBodyBudget>();
        await Eventually.TrueAsync(() => budget.InUse >= 1000000, TimeSpan.FromSeconds(30), "the first upload's reservation");
        await second.SendAsync(RawHttp.SignedHead(host.BaseAddress, "Content-Length: 1000000", []), Ct);
        var refused = await second.ReadResponseAsync(Ct);
        using var other = await host.Http.SendAsync(Signed(HttpMethod.Post, "/v1/scans", Raw(TestImages.Jpeg(), "image/jpeg"), client: Debugger), Ct);

        Assert.StartsWith("HTTP/1.1 503", refused);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    private static void AssertNoErrorLogged(ApiTestHost host)
        => Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);

    private static async Task FirstLogAsync(ApiTestHost host, int id, CancellationToken cancellationToken)
    {
        await foreach (var record in host.Logs.GetLogsAsync(cancellationToken))
        {
            if (record.Id.Id == id)
            {
                return;
            }
        }
    }

    private sealed class CountingSecretStore(ISecretStore inner, Action counted) : ISecretStore
    {
        public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken)
        {
            counted();
            return inner.GetAsync(key, cancellationToken);
        }
    }
}
