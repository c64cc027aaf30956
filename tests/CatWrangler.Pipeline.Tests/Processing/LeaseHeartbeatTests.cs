using System.Collections.Concurrent;
using CatWrangler.Adapters.Local;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Processor;
using CatWrangler.Processor.Sqs;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Pipeline.Tests.Processing;

/// <summary>
/// Short leases renewed by a heartbeat: a job abandoned by a dead worker is taken again within a minute, and a job that
/// runs for several leases is never handed to a second worker. Queue visibility and heartbeats run on a fake clock.
/// </summary>
public sealed class LeaseHeartbeatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-lease-").FullName;
    private readonly SqliteDatabase _database;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public LeaseHeartbeatTests() => _database = new SqliteDatabase(_dir);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_job_abandoned_mid_run_by_a_dead_worker_completes_within_60_seconds_after_restart()
    {
        var options = new ProcessorOptions();
        var queue = new SqliteWorkQueue(_database, _clock);
        await queue.EnqueueAsync(new WorkItem("scan-crash", WorkKind.Process), TimeSpan.Zero, Ct);

        // The first worker starts the job and dies in the middle of it: its handler never returns, nothing cleans up.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<WorkOutcome> Hang(WorkItem item, int receiveCount, CancellationToken cancellationToken)
        {
            started.TrySetResult();
            await UntilCancelled.WaitAsync(cancellationToken);
            return WorkOutcome.Done;
        }

        using (var dying = Worker(queue, Hang, options))
        {
            await dying.StartAsync(Ct);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await dying.StopAsync(Ct);
        }

        Assert.Null(await queue.LeaseAsync(options.LeaseDuration, Ct)); // still leased by the dead worker

        var completed = new TaskCompletionSource<(string ScanId, int ReceiveCount)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<WorkOutcome> Finish(WorkItem item, int receiveCount, CancellationToken cancellationToken)
        {
            completed.TrySetResult((item.ScanId, receiveCount));
            return Task.FromResult(WorkOutcome.Done);
        }

        using var restarted = Worker(queue, Finish, options);
        await restarted.StartAsync(Ct);
        _clock.Advance(options.LeaseDuration);
        Assert.True(options.LeaseDuration <= TimeSpan.FromSeconds(60));

        var (scanId, receives) = await completed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal("scan-crash", scanId);
        Assert.Equal(2, receives);
        await restarted.StopAsync(Ct);
        Assert.Empty(new StoredJobs(new StoredScans(_database, new SqliteScanStore(_database, _clock))).Items);
    }

    [Fact]
    public async Task A_job_running_for_several_leases_keeps_its_lease_and_is_never_taken_twice()
    {
        var options = new ProcessorOptions { Concurrency = 2 };
        var queue = new SqliteWorkQueue(_database, _clock);
        await queue.EnqueueAsync(new WorkItem("scan-long", WorkKind.Process), TimeSpan.Zero, Ct);
        var runs = new ConcurrentQueue<string>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<WorkOutcome> Long(WorkItem item, int receiveCount, CancellationToken cancellationToken)
        {
            runs.Enqueue(item.ScanId);
            started.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
            return WorkOutcome.Done;
        }

        using var worker = Worker(queue, Long, options);
        await worker.StartAsync(Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var jobs = new StoredScans(_database, new SqliteScanStore(_database, _clock));

        // Three whole leases pass while the job runs; after every heartbeat the job is hidden for a full lease again.
        for (var beat = 1; beat <= 3 * options.LeaseDuration / options.HeartbeatInterval; beat++)
        {
            _clock.Advance(options.HeartbeatInterval);
            var expected = (_clock.GetUtcNow() + options.LeaseDuration).ToUnixTimeMilliseconds();
            await Eventually.TrueAsync(
                () => jobs.Query("SELECT visible_at FROM jobs", r => r.GetInt64(0)).Single() == expected,
                TimeSpan.FromSeconds(20),
                $"heartbeat {beat} renewed the lease");
            Assert.Null(await queue.LeaseAsync(options.LeaseDuration, Ct));
        }

        release.SetResult();
        await Eventually.TrueAsync(() => jobs.Query("SELECT COUNT(*) FROM jobs", r => r.GetInt64(0)).Single() == 0, TimeSpan.FromSeconds(20), "the job completed");
        await worker.StopAsync(Ct);
        Assert.Equal(["scan-long"], runs);
    }

    private LocalQueueWorker Worker(SqliteWorkQueue queue, WorkItemHandler handler, ProcessorOptions options)
        => new(queue, handler, new AcceptActivity(_clock), options, _clock, NullLogger<LocalQueueWorker>.Instance);
}
