using System.Security.Cryptography;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Pipeline.Tests.Storage;

/// <summary>The embedded default's retention: what DynamoDB TTL and the S3 lifecycle do on AWS, against a real SQLite file and folder.</summary>
public sealed class RetentionSweeperTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-retention-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly SqliteDatabase _database;
    private readonly SqliteScanStore _store;
    private readonly FileImageStore _images;

    public RetentionSweeperTests()
    {
        _database = new SqliteDatabase(_dir);
        _store = new SqliteScanStore(_database, _time);
        _images = new FileImageStore(_dir);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Expired_scans_claims_and_their_unshared_images_go_while_live_ones_and_shared_images_stay()
    {
        var onlyOld = await StoreImageAsync(1);
        var shared = await StoreImageAsync(2);
        var onlyLive = await StoreImageAsync(3);
        var oldScan = await CreateScanAsync(onlyOld);
        var oldSharing = await CreateScanAsync(shared);
        var oldWithoutImage = await CreateScanAsync(null);
        await _store.ClaimAsync("api:acme", "old-key", "fp", oldScan.Id, _time.GetUtcNow() + Retention, Ct);
        await new SqliteWorkQueue(_database, _time).EnqueueAsync(new WorkItem(oldScan.Id, WorkKind.Callback, 3), TimeSpan.Zero, Ct);

        _time.Advance(TimeSpan.FromDays(10));
        var liveSharing = await CreateScanAsync(shared);
        var live = await CreateScanAsync(onlyLive);
        await _store.ClaimAsync("api:acme", "live-key", "fp", live.Id, _time.GetUtcNow() + Retention, Ct);

        _time.Advance(Retention - TimeSpan.FromDays(10)); // the first three scans and the old claim are exactly due
        var removed = await Sweeper(batchSize: 2).SweepAsync(Ct);

        Assert.Equal(new RetentionSweepResult(Scans: 3, Claims: 1, Images: 1), removed);
        var stored = new StoredScans(_database, _store);
        Assert.Equal([liveSharing.Id, live.Id], stored.Scans.Keys.Order());
        Assert.Equal(["live-key"], stored.Query("SELECT key FROM idempotency_keys", r => r.GetString(0)));
        Assert.Empty(new StoredJobs(stored).Items);
        Assert.Null(await _images.GetAsync(onlyOld, Ct));
        Assert.NotNull(await _images.GetAsync(shared, Ct));
        Assert.NotNull(await _images.GetAsync(onlyLive, Ct));
        Assert.Null(await _store.GetAsync(oldWithoutImage.Id, Ct));

        // Nothing else is due yet; ten days later the rest goes too.
        Assert.Equal(RetentionSweepResult.None, await Sweeper(batchSize: 2).SweepAsync(Ct));
        _time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(new RetentionSweepResult(Scans: 2, Claims: 1, Images: 2), await Sweeper(batchSize: 100).SweepAsync(Ct));
        Assert.Empty(new StoredImages(_dir, _images).Images);
    }

    [Fact]
    public async Task An_image_stored_again_within_the_grace_period_is_kept_for_the_scan_about_to_reference_it()
    {
        var key = await StoreImageAsync(4);
        await CreateScanAsync(key);
        _time.Advance(Retention);

        // An upload of the same bytes has stored the image but not written its scan yet.
        await StoreImageAsync(4);
        var removed = await Sweeper(batchSize: 100, grace: TimeSpan.FromDays(Retention.TotalDays + 1)).SweepAsync(Ct);

        Assert.Equal(new RetentionSweepResult(Scans: 1, Claims: 0, Images: 0), removed);
        Assert.NotNull(await _images.GetAsync(key, Ct));
    }

    [Fact]
    public async Task Images_no_scan_references_go_once_past_the_grace_period_and_referenced_or_recent_ones_stay()
    {
        var orphan = await StoreImageAsync(5);
        var referenced = await StoreImageAsync(6);
        await CreateScanAsync(referenced);
        var leftover = Path.Combine(_dir, referenced + ".0123456789abcdef.tmp"); // a crash mid-write
        await File.WriteAllBytesAsync(leftover, [1, 2, 3], Ct);

        Assert.Equal(RetentionSweepResult.None, await Sweeper(batchSize: 1, orphanShards: FileImageStore.ShardCount).SweepAsync(Ct));

        _time.Advance(TimeSpan.FromHours(2));
        var recent = await StoreImageAsync(7);
        File.SetLastWriteTimeUtc(Path.Combine(_dir, recent), _time.GetUtcNow().UtcDateTime); // the store stamps files by the wall clock
        var removed = await Sweeper(batchSize: 1, orphanShards: FileImageStore.ShardCount).SweepAsync(Ct);

        Assert.Equal(new RetentionSweepResult(Scans: 0, Claims: 0, Images: 2), removed);
        Assert.Null(await _images.GetAsync(orphan, Ct));
        Assert.False(File.Exists(leftover));
        Assert.NotNull(await _images.GetAsync(referenced, Ct));
        Assert.NotNull(await _images.GetAsync(recent, Ct));
    }

    [Fact]
    public async Task The_orphan_search_walks_a_few_image_folders_per_sweep_and_reaches_every_folder_in_rotation()
    {
        var orphans = new List<string>();
        for (byte seed = 10; seed < 20; seed++)
        {
            orphans.Add(await StoreImageAsync(seed));
        }

        _time.Advance(TimeSpan.FromHours(2));
        var sweeper = Sweeper(batchSize: 100, orphanShards: 1);
        var removedPerSweep = new List<int>();
        for (var i = 0; i < FileImageStore.ShardCount; i++)
        {
            removedPerSweep.Add((await sweeper.SweepAsync(Ct)).Images);
        }

        var folders = orphans.GroupBy(key => key.Split('/')[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(folders.Values.Order(), removedPerSweep.Where(n => n > 0).Order());
        Assert.Empty(new StoredImages(_dir, _images).Images);
    }

    [Fact]
    public void Looking_up_which_scans_reference_an_image_uses_the_image_index_not_a_table_scan()
    {
        var plan = new StoredScans(_database, _store).Query(
            $"EXPLAIN QUERY PLAN SELECT 1 FROM scans WHERE {RetentionSweeper.ImageKeyExpression} = 'images/ab/cd/x'",
            r => r.GetString(3));

        Assert.Contains(plan, step => step.Contains("INDEX scans_by_image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_annotated_picture_of_an_expired_scan_goes_with_it_and_a_live_ones_stays()
    {
        var old = await CreateScanAsync(null);
        await _images.PutAnnotatedAsync(old.Id, TestImages.Png(), Ct);
        _time.Advance(TimeSpan.FromDays(1));
        var live = await CreateScanAsync(null);
        await _images.PutAnnotatedAsync(live.Id, TestImages.Png(), Ct);

        _time.Advance(Retention - TimeSpan.FromDays(1));
        await Sweeper(batchSize: 10).SweepAsync(Ct);

        Assert.Null(await _images.GetAnnotatedAsync(old.Id, Ct));
        Assert.NotNull(await _images.GetAnnotatedAsync(live.Id, Ct));
    }

    private RetentionSweeper Sweeper(int batchSize, TimeSpan? grace = null, int orphanShards = 0)
        => new(_database, _images, new RetentionSweepOptions { BatchSize = batchSize, ImageGrace = grace ?? TimeSpan.FromHours(1), OrphanShardsPerSweep = orphanShards }, _time);

    private async Task<string> StoreImageAsync(byte seed)
    {
        var bytes = TestImages.Jpeg().Append(seed).ToArray();
        return await _images.PutAsync(Convert.ToHexStringLower(SHA256.HashData(bytes)), "image/jpeg", bytes, Ct);
    }

    private async Task<Scan> CreateScanAsync(string? imageKey)
    {
        var now = _time.GetUtcNow();
        var scan = new Scan
        {
            Id = Scan.NewId(),
            Status = ScanStatus.Done,
            Source = ScanSource.FromApi(new ApiOrigin("acme", null, null)),
            Image = imageKey is null ? null : new ImageInfo(imageKey[^64..], "image/jpeg", 10, 1, 1, imageKey),
            ReceivedAt = now,
            ExpiresAt = now + Retention,
        };
        Assert.True(await _store.TryCreateAsync(scan, Ct));
        return scan;
    }
}
