using CatWrangler.Adapters.Local;
using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;

namespace CatWrangler.Processor.Local;

/// <summary>
/// The processor on the embedded default: <see cref="ProcessorOptions.Concurrency"/> loops that lease jobs from the SQLite
/// queue, run the per-record handler and map its outcome to complete / retry / dead-letter. At start it re-enqueues scans
/// left without a job (a crash between accepting and enqueuing). While the accept path in this process is busy, only
/// <see cref="ProcessorOptions.ConcurrencyWhileAccepting"/> loops take new jobs, so uploads keep the CPU they need.
/// Leases are short (<see cref="ProcessorOptions.LeaseDuration"/>) and renewed by a heartbeat while a job runs, so a job
/// orphaned by a crash is taken again within one lease and a long job is never taken twice.
/// </summary>
public sealed partial class LocalQueueWorker(
    SqliteWorkQueue queue,
    WorkItemHandler handler,
    AcceptActivity acceptActivity,
    ProcessorOptions options,
    TimeProvider time,
    ILogger<LocalQueueWorker> logger) : BackgroundService
{
    private static readonly TimeSpan YieldPoll = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var requeued = await queue.RequeueOrphansAsync(stoppingToken);
        LogStarted(logger, options.Concurrency, requeued);
        var loops = Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(loop => Task.Run(() => LoopAsync(loop, stoppingToken), stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(int loop, CancellationToken stoppingToken)
    {
        var yields = loop >= Math.Max(1, options.ConcurrencyWhileAccepting);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (yields && acceptActivity.IsBusy)
                {
                    await Task.Delay(YieldPoll, stoppingToken);
                    continue;
                }

                var job = await queue.LeaseAsync(options.LeaseDuration, stoppingToken);
                if (job is null)
                {
                    // Only the loops that never yield are woken by an enqueue: a yielding loop could take the wake-up and
                    // leave the job for the next poll. The others poll (delayed jobs, bursts).
                    await (yields ? Task.Delay(options.PollInterval, stoppingToken) : queue.WaitForWorkAsync(options.PollInterval, stoppingToken));
                    continue;
                }

                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The queue itself failed (disk full, locked database): back off, the lease keeps the job safe.
                LogQueueError(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task RunAsync(LeasedJob job, CancellationToken stoppingToken)
    {
        WorkOutcome outcome;
        try
        {
            outcome = await RunLeasedAsync(job, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            if (job.ReceiveCount >= options.MaxAttempts + 2)
            {
                // The handler already fails scans after MaxAttempts; a job that still throws is parked for an operator.
                LogDeadLetter(logger, e, job.Item.ScanId, job.ReceiveCount);
                await queue.DeadLetterAsync(job, e.Message, CancellationToken.None);
                return;
            }

            outcome = new WorkOutcome.RetryLater(options.BackoffFor(job.ReceiveCount), e.Message);
        }

        switch (outcome)
        {
            case WorkOutcome.RetryLater retry:
                await queue.RetryAsync(job, retry.Delay, CancellationToken.None);
                break;
            case WorkOutcome.DeadLetter dead:
                await queue.DeadLetterAsync(job, dead.Reason, CancellationToken.None);
                break;
            default:
                await queue.CompleteAsync(job, CancellationToken.None);
                break;
        }
    }

    /// <summary>Runs the handler while a heartbeat renews the job's lease; the heartbeat stops with the handler.</summary>
    private async Task<WorkOutcome> RunLeasedAsync(LeasedJob job, CancellationToken stoppingToken)
    {
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = KeepLeasedAsync(job, heartbeatStop.Token);
        try
        {
            return await handler(job.Item, job.ReceiveCount, stoppingToken);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    private async Task KeepLeasedAsync(LeasedJob job, CancellationToken cancellationToken)
    {
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await queue.RenewAsync(job, options.LeaseDuration, cancellationToken))
                    {
                        LogLeaseLost(logger, job.Item.ScanId);
                        return;
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // One missed renewal is harmless (the interval is a fraction of the lease); the next beat tries again.
                    LogRenewFailed(logger, e, job.Item.ScanId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease of the job for scan {ScanId} was lost (it ran out and another worker took the job)")]
    private static partial void LogLeaseLost(ILogger logger, string scanId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of the job for scan {ScanId} failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string scanId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local processor started with {Concurrency} workers; {Requeued} orphaned scans re-enqueued")]
    private static partial void LogStarted(ILogger logger, int concurrency, int requeued);

    [LoggerMessage(Level = LogLevel.Error, Message = "The local work queue failed; retrying in 1 s")]
    private static partial void LogQueueError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job for scan {ScanId} dead-lettered after {ReceiveCount} receives")]
    private static partial void LogDeadLetter(ILogger logger, Exception exception, string scanId, int receiveCount);
}
