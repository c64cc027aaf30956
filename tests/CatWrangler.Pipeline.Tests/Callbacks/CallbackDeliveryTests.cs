using System.Text;
using System.Text.Json;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Configuration;
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

    /// <summary>Runs callback jobs until the queue is empty, jumping fake time to each next job; returns the waits between attempts.</summary>
    private async Task<List<TimeSpan>> RunQueueAsync(bool allowPrivate = true, string? secondSecret = null)
    {
        var options = new CallbackOptions { AllowPrivateNetworks = allowPrivate };
        var secrets = new ConfigurationSecretStore(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CatWrangler:Clients:acme:Secrets:0"] = Secret,
                ["CatWrangler:Clients:acme:Secrets:1"] = secondSecret,
            }).Build());
        using var http = new HttpClient();
        var sender = new CallbackSender(_scans, _queue, secrets, new CallbackUrlPolicy(options), options, http, _time, NullLogger<CallbackSender>.Instance);
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

    private async Task<Scan> CreateDoneScanAsync(string callbackUrl)
    {
        var scan = new Scan
        {
            Id = Scan.NewId(),
            Status = ScanStatus.Done,
            Source = ScanSource.FromApi(new ApiOrigin("acme", callbackUrl, "ref-1")),
            Verdict = new Verdict(true, 0.91, [], [], "onnx-centernet", "test", 0.2),
            ReceivedAt = _time.GetUtcNow(),
            CompletedAt = _time.GetUtcNow(),
            ExpiresAt = _time.GetUtcNow().AddDays(30),
        };
        await _scans.TryCreateAsync(scan, Ct);
        await new CallbackNotifier(_queue).OnCompletedAsync(scan, Ct);
        return scan;
    }
}
