using System.Text;
using System.Text.Json;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.TestSupport;
using CatWrangler.Adapters.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CatWrangler.Pipeline.Tests.Callbacks;

/// <summary>Signed callbacks on the real SQLite queue, with fake time driving the retry schedule.</summary>
public sealed class CallbackDeliveryTests : IDisposable
{
    private static readonly string Secret = StandardWebhooksSignature.NewSecret();
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-callbacks-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly SqliteScanStore _scans;
    private readonly SqliteWorkQueue _queue;
    private readonly StoredJobs _jobs;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public CallbackDeliveryTests()
    {
        var database = new SqliteDatabase(_dir);
        _scans = new SqliteScanStore(database, _time);
        _queue = new SqliteWorkQueue(database, _time);
        _jobs = new StoredJobs(new StoredScans(database, _scans));
    }

    public void Dispose()
    {
        _receiver.Stop();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Two_server_errors_then_success_gives_one_delivery_after_three_signed_attempts()
    {
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(500));
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WhenStateIs("second").WillSetStateTo("third")
            .RespondWith(Response.Create().WithStatusCode(500));
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WhenStateIs("third")
            .RespondWith(Response.Create().WithStatusCode(200));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/hook");

        var delays = await RunQueueAsync();

        var stored = (await _scans.GetAsync(scan.Id, Ct))!;
        Assert.Equal(["failed", "failed", "delivered"], stored.Deliveries.Select(d => d.Outcome));
        Assert.Equal([500, 500, 200], stored.Deliveries.Select(d => d.StatusCode ?? 0));
        Assert.Equal([1, 2, 3], stored.Deliveries.Select(d => d.Attempt));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)], delays);

        var requests = _receiver.LogEntries.Select(e => e.RequestMessage!).ToList();
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Headers![StandardWebhooksSignature.IdHeader].Single()).Distinct());
        foreach (var request in requests)
        {
            var body = Encoding.UTF8.GetBytes(request.Body!);
            var check = StandardWebhooksSignature.Verify(
                [Secret], request.Headers![StandardWebhooksSignature.IdHeader].Single(), request.Headers[StandardWebhooksSignature.TimestampHeader].Single(),
                request.Headers[StandardWebhooksSignature.SignatureHeader].Single(), body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers[StandardWebhooksSignature.TimestampHeader].Single())));
            Assert.Equal(SignatureCheck.Valid, check);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("scan.completed", json.RootElement.GetProperty("type").GetString());
            Assert.Equal(scan.Id, json.RootElement.GetProperty("data").GetProperty("id").GetString());
            Assert.True(json.RootElement.GetProperty("data").GetProperty("verdict").GetProperty("isCat").GetBoolean());
        }
    }

    [Fact]
    public async Task During_a_rotation_the_callback_verifies_with_the_old_and_with_the_new_secret()
    {
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var newSecret = StandardWebhooksSignature.NewSecret();
        await CreateDoneScanAsync(_receiver.Url + "/hook");

        await RunQueueAsync(secondSecret: newSecret);

        var request = Assert.Single(_receiver.LogEntries).RequestMessage!;
        var body = Encoding.UTF8.GetBytes(request.Body!);
        var headers = request.Headers!;
        foreach (var secret in new[] { Secret, newSecret })
        {
            Assert.Equal(SignatureCheck.Valid, StandardWebhooksSignature.Verify(
                [secret], headers[StandardWebhooksSignature.IdHeader].Single(), headers[StandardWebhooksSignature.TimestampHeader].Single(),
                headers[StandardWebhooksSignature.SignatureHeader].Single(), body, _time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task Gone_stops_the_schedule()
    {
        _receiver.Given(Request.Create().WithPath("/gone").UsingPost()).RespondWith(Response.Create().WithStatusCode(410));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/gone");

        await RunQueueAsync();

        var stored = (await _scans.GetAsync(scan.Id, Ct))!;
        Assert.Equal(["stopped"], stored.Deliveries.Select(d => d.Outcome));
        Assert.Single(_receiver.LogEntries);
    }

    [Fact]
    public async Task A_receiver_that_never_succeeds_is_abandoned_within_24_hours()
    {
        _receiver.Given(Request.Create().WithPath("/down").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/down");

        await RunQueueAsync();

        var stored = (await _scans.GetAsync(scan.Id, Ct))!;
        Assert.Equal("abandoned", stored.Deliveries[^1].Outcome);
        var attempts = stored.Deliveries.Where(d => d.Outcome == "failed").ToList();
        Assert.Equal(7, attempts.Count); // 0 s, +5 s, +5 min, +30 min, +2 h, +5 h, +10 h (17 h 35 min 5 s); one more 10 h would pass 24 h
        Assert.True(attempts[^1].At - attempts[0].At <= CallbackSender.GiveUpAfter);
    }

    [Fact]
    public async Task Loopback_targets_are_refused_unless_private_networks_are_allowed()
    {
        var scan = await CreateDoneScanAsync(_receiver.Url + "/hook");

        await RunQueueAsync(allowPrivate: false);

        var stored = (await _scans.GetAsync(scan.Id, Ct))!;
        Assert.Equal("refused", Assert.Single(stored.Deliveries).Outcome);
        Assert.Empty(_receiver.LogEntries);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_redirect_is_a_failed_attempt_retried_on_the_schedule_and_its_target_gets_nothing(int status)
    {
        using var target = WireMockServer.Start();
        target.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        _receiver.Given(Request.Create().WithPath("/hook")).RespondWith(
            Response.Create().WithStatusCode(status).WithHeader("Location", target.Url + "/elsewhere"));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/hook");

        var delays = await RunQueueAsync();

        var stored = (await _scans.GetAsync(scan.Id, Ct))!;
        var failed = stored.Deliveries.Where(d => d.Outcome == "failed").ToList();
        Assert.Equal(7, failed.Count);
        Assert.All(failed, d => Assert.Equal((status, DeliveryError.RedirectRefused), (d.StatusCode!.Value, d.Error!)));
        Assert.Equal("abandoned", stored.Deliveries[^1].Outcome);
        Assert.Equal(CallbackSender.DelayBefore(2), delays[0]);
        Assert.Equal(7, _receiver.LogEntries.Count());
        Assert.All(_receiver.LogEntries, e => Assert.Equal("POST", e.RequestMessage!.Method));
        Assert.Empty(target.LogEntries);
    }

    [Fact]
    public async Task A_redirect_loop_costs_one_request_per_attempt()
    {
        _receiver.Given(Request.Create().WithPath("/loop")).RespondWith(
            Response.Create().WithStatusCode(302).WithHeader("Location", _receiver.Url + "/loop"));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/loop");

        await RunQueueAsync();

        var attempts = (await _scans.GetAsync(scan.Id, Ct))!.Deliveries.Count(d => d.Outcome == "failed");
        Assert.Equal(attempts, _receiver.LogEntries.Count());
    }

    [Fact]
    public async Task A_307_from_the_one_admitted_host_to_an_internal_listener_reaches_nothing_internal()
    {
        using var internalService = WireMockServer.Start();
        internalService.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        _receiver.Given(Request.Create().WithPath("/hook")).RespondWith(
            Response.Create().WithStatusCode(307).WithHeader("Location", internalService.Url + "/admin"));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/hook");

        // As in production with AllowPrivateNetworks=false, where only the public receiver passes the address check.
        await RunQueueAsync(policy: new SingleListener(_receiver.Port));

        var stored = (await _scans.GetAsync(scan.Id, Ct))!;
        Assert.Empty(internalService.LogEntries);
        Assert.DoesNotContain(stored.Deliveries, d => d.Outcome == "delivered");
        Assert.All(stored.Deliveries.Where(d => d.Outcome == "failed"), d => Assert.Equal(307, d.StatusCode));
    }

    [Fact]
    public async Task A_receiver_the_address_policy_refuses_is_refused_without_a_connection()
    {
        var scan = await CreateDoneScanAsync(_receiver.Url + "/hook");

        await RunQueueAsync(policy: new SingleListener(_receiver.Port + 1));

        var delivery = Assert.Single((await _scans.GetAsync(scan.Id, Ct))!.Deliveries);
        Assert.Equal(("refused", "address_refused"), (delivery.Outcome, delivery.Error!));
        Assert.Empty(_receiver.LogEntries);
    }

    [Fact]
    public async Task Every_attempt_sends_the_same_body_stamped_with_the_completion_time()
    {
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(500));
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WhenStateIs("second").WillSetStateTo("third")
            .RespondWith(Response.Create().WithStatusCode(503));
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).InScenario("flaky").WhenStateIs("third")
            .RespondWith(Response.Create().WithStatusCode(200));
        var completedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(42)); // the notifier runs a little after completion
        var scan = await CreateDoneScanAsync(_receiver.Url + "/hook", completedAt);

        await RunQueueAsync();

        var requests = _receiver.LogEntries.Select(e => e.RequestMessage!).ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].BodyAsBytes, r.BodyAsBytes));
        Assert.Equal(3, requests.Select(r => r.Headers![StandardWebhooksSignature.TimestampHeader].Single()).Distinct().Count());
        using var json = JsonDocument.Parse(requests[0].BodyAsBytes);
        Assert.Equal(completedAt, json.RootElement.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(scan.Id, json.RootElement.GetProperty("data").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Retry_after_from_the_receiver_delays_the_next_attempt_beyond_the_schedule()
    {
        _receiver.Given(Request.Create().WithPath("/busy").UsingPost()).InScenario("busy").WillSetStateTo("ready")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "600"));
        _receiver.Given(Request.Create().WithPath("/busy").UsingPost()).InScenario("busy").WhenStateIs("ready")
            .RespondWith(Response.Create().WithStatusCode(200));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/busy");

        var delays = await RunQueueAsync();

        Assert.Equal([TimeSpan.FromMinutes(10)], delays);
        Assert.Equal(["failed", "delivered"], (await _scans.GetAsync(scan.Id, Ct))!.Deliveries.Select(d => d.Outcome));
    }

    [Fact]
    public async Task A_retry_after_beyond_the_24_hour_window_ends_the_schedule()
    {
        _receiver.Given(Request.Create().WithPath("/later").UsingPost()).RespondWith(
            Response.Create().WithStatusCode(503).WithHeader("Retry-After", "172800"));
        var scan = await CreateDoneScanAsync(_receiver.Url + "/later");

        await RunQueueAsync();

        Assert.Equal(["failed", "abandoned"], (await _scans.GetAsync(scan.Id, Ct))!.Deliveries.Select(d => d.Outcome));
        Assert.Single(_receiver.LogEntries);
    }

    [Fact]
    public async Task A_closed_port_is_recorded_as_a_category_not_the_socket_error()
    {
        var url = _receiver.Url + "/hook";
        _receiver.Stop();
        var scan = await CreateDoneScanAsync(url);

        await RunQueueAsync();

        var failed = (await _scans.GetAsync(scan.Id, Ct))!.Deliveries.Where(d => d.Outcome == "failed").ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, d => Assert.Equal((null, "connection_failed"), (d.StatusCode, d.Error)));
    }

    [Fact]
    public async Task The_official_standard_webhooks_library_verifies_the_callback()
    {
        _receiver.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        _time.SetUtcNow(DateTimeOffset.UtcNow); // the library checks the timestamp against the real clock
        await CreateDoneScanAsync(_receiver.Url + "/hook");

        await RunQueueAsync();

        var request = Assert.Single(_receiver.LogEntries).RequestMessage!;
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var name in new[] { StandardWebhooksSignature.IdHeader, StandardWebhooksSignature.TimestampHeader, StandardWebhooksSignature.SignatureHeader })
        {
            headers[name] = request.Headers![name].Single();
        }

        new StandardWebhooks.StandardWebhook(Secret).Verify(Encoding.UTF8.GetString(request.BodyAsBytes!), headers); // throws when it disagrees
    }

    /// <summary>Runs callback jobs until the queue is empty, jumping fake time to each next job; returns the waits between attempts.</summary>
    private async Task<List<TimeSpan>> RunQueueAsync(bool allowPrivate = true, string? secondSecret = null, IOutboundAddressPolicy? policy = null)
    {
        var options = new CallbackOptions { AllowPrivateNetworks = allowPrivate };
        var services = new ServiceCollection().AddSingleton(options).AddSingleton<TimeProvider>(_time);
        if (policy is not null)
        {
            services.AddSingleton(policy);
        }

        await using var provider = services.AddHttpCallbackTransport().BuildServiceProvider();
        var secrets = new ConfigurationSecretStore(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CatWrangler:Clients:acme:Secrets:0"] = Secret,
                ["CatWrangler:Clients:acme:Secrets:1"] = secondSecret,
            }).Build());
        var sender = new CallbackSender(
            _scans, _queue, secrets, new CallbackUrlPolicy(options), provider.GetRequiredService<ICallbackTransport>(), _time, NullLogger<CallbackSender>.Instance);
        var waits = new List<TimeSpan>();
        for (var guard = 0; guard < 50 && _jobs.NextVisibleAt is { } next; guard++)
        {
            if (next > _time.GetUtcNow())
            {
                waits.Add(next - _time.GetUtcNow());
                _time.Advance(next - _time.GetUtcNow());
            }

            var job = await _queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct);
            Assert.IsType<WorkOutcome.Completed>(await sender.DeliverAsync(job!.Item, Ct));
            await _queue.CompleteAsync(job, Ct);
        }

        return waits;
    }

    private async Task<Scan> CreateDoneScanAsync(string callbackUrl, DateTimeOffset? completedAt = null)
    {
        var scan = new Scan
        {
            Id = Scan.NewId(),
            Status = ScanStatus.Done,
            Source = ScanSource.FromApi(new ApiOrigin("acme", callbackUrl, "ref-1")),
            Verdict = new Verdict(true, 0.91, [], [], "onnx-centernet", "test", 0.2),
            ReceivedAt = _time.GetUtcNow(),
            CompletedAt = completedAt ?? _time.GetUtcNow(),
            ExpiresAt = _time.GetUtcNow().AddDays(30),
        };
        await _scans.TryCreateAsync(scan, Ct);
        await new CallbackNotifier(_queue).OnCompletedAsync(scan, Ct);
        return scan;
    }

    /// <summary>Admits one loopback port and nothing else, as production admits only public receivers.</summary>
    private sealed class SingleListener(int port) : IOutboundAddressPolicy
    {
        public bool Permits(System.Net.IPEndPoint endpoint) => System.Net.IPAddress.IsLoopback(endpoint.Address) && endpoint.Port == port;
    }
}
