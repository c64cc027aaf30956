using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Pipeline.Tests.Storage;

/// <summary>The embedded adapters against a real SQLite file and a real folder.</summary>
public sealed class LocalStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-store-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T10:00:00Z"));
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Scans_round_trip_and_list_newest_first_per_client_and_channel()
    {
        var store = new SqliteScanStore(new SqliteDatabase(_dir), _time);
        var a = NewScan("acme", 0);
        var b = NewScan("acme", 1);
        var other = NewScan("globex", 2);
        var slack = NewScan(null, 3) with { Source = ScanSource.FromSlack(new SlackOrigin("T1", "C1", "U1", "F1", "1.2", null, "Ev1")) };

        foreach (var scan in new[] { a, b, other, slack })
        {
            Assert.True(await store.TryCreateAsync(scan, Ct));
        }

        Assert.False(await store.TryCreateAsync(a with { Status = ScanStatus.Done }, Ct));
        await store.SaveAsync(b with { Status = ScanStatus.Done, Verdict = new Verdict(true, 0.9, [], [], "d", "v", 0.2) }, Ct);

        var acme = await store.ListRecentAsync(new ScanListQuery(ClientId: "acme"), Ct);
        Assert.Equal([b.Id, a.Id], acme.Select(s => s.Id));
        Assert.Equal(ScanStatus.Done, acme[0].Status);
        Assert.True(acme[0].Verdict!.IsCat);
        Assert.Equal(ScanStatus.Queued, (await store.GetAsync(a.Id, Ct))!.Status);
        Assert.Equal([slack.Id], (await store.ListRecentAsync(new ScanListQuery(SlackChannelId: "C1"), Ct)).Select(s => s.Id));
        Assert.Null(await store.GetAsync("nope", Ct));
    }

    [Fact]
    public async Task Idempotency_keys_are_claimed_once_compare_fingerprints_and_expire()
    {
        var store = new SqliteScanStore(new SqliteDatabase(_dir), _time);
        var until = _time.GetUtcNow().AddHours(1);

        Assert.IsType<IdempotencyClaim.Claimed>(await store.ClaimAsync("api:acme", "k1", "fp", "s1", until, Ct));
        Assert.Equal(new IdempotencyClaim.AlreadyClaimed("s1", true), await store.ClaimAsync("api:acme", "k1", "fp", "s2", until, Ct));
        Assert.Equal(new IdempotencyClaim.AlreadyClaimed("s1", false), await store.ClaimAsync("api:acme", "k1", "other", "s2", until, Ct));
        Assert.IsType<IdempotencyClaim.Claimed>(await store.ClaimAsync("api:globex", "k1", "fp", "s3", until, Ct));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.IsType<IdempotencyClaim.Claimed>(await store.ClaimAsync("api:acme", "k1", "fp", "s4", until.AddHours(5), Ct));
    }

    [Fact]
    public async Task Leased_jobs_stay_hidden_until_the_lease_runs_out_then_come_back()
    {
        var database = new SqliteDatabase(_dir);
        var queue = new SqliteWorkQueue(database, _time);
        var jobs = new StoredJobs(new StoredScans(database, new SqliteScanStore(database, _time)));
        await queue.EnqueueAsync(new WorkItem("s1", WorkKind.Process), TimeSpan.Zero, Ct);
        await queue.EnqueueAsync(new WorkItem("s2", WorkKind.Callback, 3), TimeSpan.FromSeconds(30), Ct);

        var first = await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(new WorkItem("s1", WorkKind.Process), first!.Item);
        Assert.Equal(1, first.ReceiveCount);
        Assert.Null(await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct)); // s1 leased, s2 delayed

        _time.Advance(TimeSpan.FromSeconds(31));
        var delayed = await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(new WorkItem("s2", WorkKind.Callback, 3), delayed!.Item);

        _time.Advance(TimeSpan.FromMinutes(1)); // both leases lapse: a crashed worker loses nothing
        var again = await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.Equal("s1", again!.Item.ScanId);
        Assert.Equal(2, again.ReceiveCount);

        await queue.CompleteAsync(again, Ct);
        var s2 = await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct);
        await queue.RetryAsync(s2!, TimeSpan.FromSeconds(10), Ct);
        Assert.Null(await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct));
        _time.Advance(TimeSpan.FromSeconds(10));
        var retried = await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct);
        await queue.DeadLetterAsync(retried!, "boom", Ct);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await queue.LeaseAsync(TimeSpan.FromMinutes(1), Ct));
        Assert.Empty(jobs.Items);
    }

    [Fact]
    public async Task Orphaned_scans_get_a_job_again_and_only_once()
    {
        var database = new SqliteDatabase(_dir);
        var store = new SqliteScanStore(database, _time);
        var queue = new SqliteWorkQueue(database, _time);
        var jobs = new StoredJobs(new StoredScans(database, store));
        var orphan = NewScan("acme", 0);
        var queued = NewScan("acme", 1);
        var done = NewScan("acme", 2) with { Status = ScanStatus.Done };
        foreach (var scan in new[] { orphan, queued, done })
        {
            await store.TryCreateAsync(scan, Ct);
        }

        await queue.EnqueueAsync(new WorkItem(queued.Id, WorkKind.Process), TimeSpan.Zero, Ct);

        Assert.Equal(1, await queue.RequeueOrphansAsync(Ct));
        Assert.Equal(0, await queue.RequeueOrphansAsync(Ct));
        Assert.Equal(2, jobs.Items.Count);
    }

    [Fact]
    public async Task Data_survives_reopening_the_database()
    {
        var scan = NewScan("acme", 0);
        await new SqliteScanStore(new SqliteDatabase(_dir), _time).TryCreateAsync(scan, Ct);

        var reopened = await new SqliteScanStore(new SqliteDatabase(_dir), _time).GetAsync(scan.Id, Ct);

        Assert.Equal(scan.Id, reopened!.Id);
        Assert.Equal("acme", reopened.Source.Api!.ClientId);
    }

    [Fact]
    public async Task Images_are_stored_by_content_and_read_back_intact()
    {
        var store = new FileImageStore(_dir);
        var bytes = CatWrangler.TestSupport.TestImages.Jpeg();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

        var key = await store.PutAsync(sha, "image/jpeg", bytes, Ct);
        var again = await store.PutAsync(sha, "image/jpeg", bytes, Ct);

        Assert.Equal(key, again);
        Assert.EndsWith(sha, key);
        Assert.Equal(bytes, await store.GetAsync(key, Ct));
        Assert.Null(await store.GetAsync("images/00/00/" + new string('0', 64), Ct));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("../../etc/passwd", Ct));
    }

    private Scan NewScan(string? client, int minutes) => new()
    {
        Id = Scan.NewId(),
        Status = ScanStatus.Queued,
        Source = ScanSource.FromApi(new ApiOrigin(client ?? "none", null, null)),
        ReceivedAt = _time.GetUtcNow().AddMinutes(minutes),
        ExpiresAt = _time.GetUtcNow().AddDays(30),
    };
}
