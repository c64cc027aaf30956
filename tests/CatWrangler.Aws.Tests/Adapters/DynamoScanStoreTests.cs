using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Aws.Tests.Adapters;

[Trait("Category", "Aws")]
public sealed class DynamoScanStoreTests(AwsEmulators emulators) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
    private AwsOptions _options = new();
    private AmazonDynamoDBClient? _dynamo;
    private DynamoScanStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _options = await emulators.StartAsync();
        _dynamo = new AmazonDynamoDBClient();
        _store = new DynamoScanStore(_dynamo, _options, _time);
    }

    public ValueTask DisposeAsync()
    {
        _dynamo?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Create_is_conditional_and_get_round_trips_the_scan()
    {
        var scan = ScanFactory.Api("acme", _time.GetUtcNow()) with
        {
            Verdict = new Verdict(true, 0.93, [new BoundingBox(1, 2, 30, 40, 0.9)], [new LabelScore("cat", 0.93)], "onnx", "v1", 0.5),
        };

        Assert.True(await _store!.TryCreateAsync(scan, Ct));
        Assert.False(await _store.TryCreateAsync(scan with { Status = ScanStatus.Failed }, Ct));

        var back = await _store.GetAsync(scan.Id, Ct);
        Assert.NotNull(back);
        Assert.Equal(ScanStatus.Queued, back!.Status);
        Assert.Equal(scan.Source, back.Source);
        Assert.Equal(scan.Image, back.Image);
        Assert.Equal(0.93, back.Verdict!.Confidence);
        Assert.Equal(scan.Verdict!.Boxes, back.Verdict.Boxes);
        Assert.Equal(scan.ExpiresAt, back.ExpiresAt);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
        => Assert.Null(await _store!.GetAsync(Scan.NewId(), Ct));

    [Fact]
    public async Task Save_replaces_and_writes_status_and_ttl_attributes()
    {
        var scan = ScanFactory.Api("acme", _time.GetUtcNow());
        await _store!.TryCreateAsync(scan, Ct);
        await _store.SaveAsync(scan with { Status = ScanStatus.Done, Attempts = 1 }, Ct);

        var item = (await _dynamo!.GetItemAsync(_options.TableName, new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = DynamoScanStore.ScanPk(scan.Id) },
            ["sk"] = new() { S = "SCAN" },
        }, Ct)).Item;

        Assert.Equal("done", item["status"].S);
        Assert.Equal(scan.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item["expiresAt"].N);
        Assert.Equal(ScanStatus.Done, (await _store.GetAsync(scan.Id, Ct))!.Status);
    }

    [Fact]
    public async Task Recent_scans_per_client_and_per_channel_come_newest_first_and_only_their_own()
    {
        var client = "client-" + Guid.NewGuid().ToString("N")[..8];
        var channel = "C" + Guid.NewGuid().ToString("N")[..8];
        var start = _time.GetUtcNow();
        var mine = Enumerable.Range(0, 5).Select(i => ScanFactory.Api(client, start.AddMinutes(i))).ToList();
        foreach (var scan in mine)
        {
            await _store!.TryCreateAsync(scan, Ct);
        }

        await _store!.TryCreateAsync(ScanFactory.Api("someone-else", start.AddHours(1)), Ct);
        var slack = ScanFactory.Slack(channel, start);
        await _store.TryCreateAsync(slack, Ct);

        var recent = await _store.ListRecentAsync(new ScanListQuery(ClientId: client, Limit: 3), Ct);
        Assert.Equal(mine.AsEnumerable().Reverse().Take(3).Select(s => s.Id), recent.Select(s => s.Id));

        var inChannel = await _store.ListRecentAsync(new ScanListQuery(SlackChannelId: channel), Ct);
        Assert.Equal([slack.Id], inChannel.Select(s => s.Id));
    }

    [Fact]
    public async Task Claims_are_atomic_and_tell_same_from_different_content()
    {
        var key = Guid.NewGuid().ToString();
        var expires = _time.GetUtcNow().AddDays(1);

        Assert.IsType<IdempotencyClaim.Claimed>(await _store!.ClaimAsync("api:acme", key, "fp1", "scan-1", expires, Ct));

        var same = Assert.IsType<IdempotencyClaim.AlreadyClaimed>(await _store.ClaimAsync("api:acme", key, "fp1", "scan-2", expires, Ct));
        Assert.Equal("scan-1", same.ScanId);
        Assert.True(same.SameFingerprint);

        var other = Assert.IsType<IdempotencyClaim.AlreadyClaimed>(await _store.ClaimAsync("api:acme", key, "fp2", "scan-3", expires, Ct));
        Assert.Equal("scan-1", other.ScanId);
        Assert.False(other.SameFingerprint);

        // Same key in another scope is independent.
        Assert.IsType<IdempotencyClaim.Claimed>(await _store.ClaimAsync("api:other", key, "fp1", "scan-4", expires, Ct));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_have_exactly_one_winner()
    {
        var key = Guid.NewGuid().ToString();
        var expires = _time.GetUtcNow().AddDays(1);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _store!.ClaimAsync("slack:event", key, "fp", $"scan-{i}", expires, Ct)));

        Assert.Single(results, r => r is IdempotencyClaim.Claimed);
        var winners = results.OfType<IdempotencyClaim.AlreadyClaimed>().Select(r => r.ScanId).Distinct().ToList();
        Assert.Single(winners);
    }

    [Fact]
    public async Task An_expired_claim_not_yet_swept_by_ttl_counts_as_free()
    {
        var key = Guid.NewGuid().ToString();
        await _store!.ClaimAsync("slack:event", key, "fp", "scan-old", _time.GetUtcNow().AddMinutes(5), Ct);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.IsType<IdempotencyClaim.Claimed>(await _store.ClaimAsync("slack:event", key, "fp", "scan-new", _time.GetUtcNow().AddDays(1), Ct));
        var again = Assert.IsType<IdempotencyClaim.AlreadyClaimed>(await _store.ClaimAsync("slack:event", key, "fp", "x", _time.GetUtcNow().AddDays(1), Ct));
        Assert.Equal("scan-new", again.ScanId);
    }

    [Fact]
    public async Task Oversized_debug_data_is_capped_so_the_item_stays_under_400_KB()
    {
        var scan = ScanFactory.Api("acme", _time.GetUtcNow()) with
        {
            Status = ScanStatus.Done,
            Verdict = new Verdict(false, 0.1, [], [], "rekognition", "3.0", 0.8),
            Debug = new ScanDebug
            {
                DetectorRaw = new string('x', 1_000_000),
                AttemptLog = [.. Enumerable.Range(1, 5000).Select(i => new AttemptRecord(i, DateTimeOffset.UnixEpoch, null, "retry", new string('e', 100)))],
            },
        };

        // dynalite enforces DynamoDB's 400 KB item limit: an uncapped item would throw here.
        await _store!.SaveAsync(scan, Ct);
        var back = await _store.GetAsync(scan.Id, Ct);

        Assert.NotNull(back);
        Assert.Equal(scan.Verdict, back!.Verdict! with { Boxes = scan.Verdict!.Boxes, TopLabels = scan.Verdict.TopLabels });
        Assert.True(back.Debug.DetectorRaw!.Length <= ScanDebug.MaxDetectorRawChars + ScanDebug.TruncatedMarker.Length);
        Assert.True(back.Debug.AttemptLog.Count <= 20);
        Assert.Equal(5000, back.Debug.AttemptLog[^1].Attempt);
    }

    [Fact]
    public async Task A_raw_response_under_the_cap_is_kept_verbatim()
    {
        var raw = """{"Labels":[{"Name":"Cat","Confidence":99.1}]}""";
        var scan = ScanFactory.Api("acme", _time.GetUtcNow()) with { Debug = new ScanDebug { DetectorRaw = raw } };
        await _store!.SaveAsync(scan, Ct);
        Assert.Equal(raw, (await _store.GetAsync(scan.Id, Ct))!.Debug.DetectorRaw);
    }
}
