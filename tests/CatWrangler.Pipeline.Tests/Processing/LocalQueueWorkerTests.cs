using CatWrangler.Adapters.Local;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;
using CatWrangler.Processor;
using CatWrangler.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Pipeline.Tests.Processing;

/// <summary>The local worker leaves the cores to the accept path while it is busy (<see cref="AcceptActivity"/>).</summary>
public sealed class LocalQueueWorkerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("catwrangler-worker-").FullName;
    private readonly SqliteDatabase _database;

    public LocalQueueWorkerTests() => _database = new SqliteDatabase(_dir);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task While_uploads_arrive_only_one_job_runs_at_a_time()
    {
        var clock = new ReadCountingClock();
        var activity = new AcceptActivity(clock);
        activity.Accepting(); // the fake clock stands still: busy for the whole test

        Assert.Equal(1, await MaxConcurrentJobsAsync(activity, clock, jobs: 6));
    }

    [Fact]
    public async Task When_no_upload_arrives_every_worker_loop_takes_jobs()
    {
        var clock = new ReadCountingClock();
        var activity = new AcceptActivity(clock);

        Assert.Equal(2, await MaxConcurrentJobsAsync(activity, clock, jobs: 6));
    }

    [Fact]
    public async Task A_job_enqueued_as_uploads_start_is_picked_up_at_once_not_at_the_next_poll()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var activity = new AcceptActivity(clock);
        var queue = new SqliteWorkQueue(_database, TimeProvider.System);
        var handled = new System.Collections.Concurrent.BlockingCollection<string>();
        Task<WorkOutcome> Handle(WorkItem item, int receiveCount, CancellationToken cancellationToken)
        {
            handled.Add(item.ScanId, cancellationToken);
            return Task.FromResult(WorkOutcome.Done);
        }

        // With an hour between polls, only the enqueue's wake-up can start a job within the test's time.
        var options = new ProcessorOptions { Concurrency = 2, ConcurrencyWhileAccepting = 1, PollInterval = TimeSpan.FromHours(1) };
        using var worker = new LocalQueueWorker(queue, Handle, activity, options, TimeProvider.System, NullLogger<LocalQueueWorker>.Instance);
        await worker.StartAsync(Ct);
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1)); // quiet: every loop goes back to waiting for work
            await Eventually.TrueAsync(() => queue.Waiting == options.ConcurrencyWhileAccepting, TimeSpan.FromSeconds(20), "only the loops that never yield wait for the enqueue's wake-up");
            activity.Accepting(); // an upload arrives and enqueues its job
            await queue.EnqueueAsync(new WorkItem($"scan{i}", WorkKind.Process), TimeSpan.Zero, Ct);
            Assert.True(handled.TryTake(out var scanId, 20_000, Ct), $"job {i} was not picked up");
            Assert.Equal($"scan{i}", scanId);
        }

        await worker.StopAsync(Ct);
    }

    [Fact]
    public void The_accept_path_counts_as_busy_for_a_short_window_after_each_upload()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var activity = new AcceptActivity(clock);
        Assert.False(activity.IsBusy);

        activity.Accepting();
        Assert.True(activity.IsBusy);
        clock.Advance(AcceptActivity.BusyWindow - TimeSpan.FromMilliseconds(1));
        Assert.True(activity.IsBusy);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(activity.IsBusy);
    }

    /// <summary>
    /// Runs a two-loop worker over <paramref name="jobs"/> jobs; returns the most that ran at once. Each job runs until the
    /// other loop has either joined it or looked at <paramref name="activity"/> twice and stayed out (its clock was read),
    /// or no other job is left: every job gives the other loop the chance to break the rule.
    /// </summary>
    private async Task<int> MaxConcurrentJobsAsync(AcceptActivity activity, ReadCountingClock clock, int jobs)
    {
        var queue = new SqliteWorkQueue(_database, TimeProvider.System);
        for (var i = 0; i < jobs; i++)
        {
            await queue.EnqueueAsync(new WorkItem($"scan{i}", WorkKind.Process), TimeSpan.Zero, Ct);
        }

        var running = 0;
        var max = 0;
        var finished = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<WorkOutcome> Handle(WorkItem item, int receiveCount, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref max, now);
            var readsAtStart = clock.Reads;
            await Eventually.TrueAsync(
                () => Volatile.Read(ref running) == 2 || clock.Reads >= readsAtStart + 2 || Volatile.Read(ref finished) == jobs - 1,
                TimeSpan.FromSeconds(20),
                "the other worker loop neither took a job nor checked whether uploads were arriving");
            Interlocked.Decrement(ref running);
            if (Interlocked.Increment(ref finished) == jobs)
            {
                allDone.TrySetResult();
            }

            return WorkOutcome.Done;
        }

        var options = new ProcessorOptions { Concurrency = 2, ConcurrencyWhileAccepting = 1 };
        using var worker = new LocalQueueWorker(queue, Handle, activity, options, TimeProvider.System, NullLogger<LocalQueueWorker>.Instance);
        await worker.StartAsync(Ct);
        await allDone.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await worker.StopAsync(Ct);
        return max;
    }

    /// <summary>A fake clock that counts how often it is read: the yielding loop reads it each time it checks for uploads.</summary>
    private sealed class ReadCountingClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public override long GetTimestamp()
        {
            Interlocked.Increment(ref _reads);
            return base.GetTimestamp();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
