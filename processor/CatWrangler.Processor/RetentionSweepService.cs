using CatWrangler.Adapters.Local;

namespace CatWrangler.Processor;

/// <summary>
/// Runs the <see cref="RetentionSweeper"/> at start and then every <see cref="RetentionSweepOptions.Interval"/> on the
/// embedded default, and logs what it removed (on AWS, DynamoDB TTL and the S3 lifecycle do this job).
/// </summary>
public sealed partial class RetentionSweepService(
    RetentionSweeper sweeper,
    RetentionSweepOptions options,
    TimeProvider time,
    ILogger<RetentionSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                await SweepOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var removed = await sweeper.SweepAsync(stoppingToken);
            if (removed.RemovedAnything)
            {
                LogRemoved(logger, removed.Scans, removed.Claims, removed.Images);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Nothing is lost by skipping a sweep: the next one finds the same expired data.
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep removed {Scans} expired scans, {Claims} expired idempotency claims and {Images} unreferenced images")]
    private static partial void LogRemoved(ILogger logger, int scans, int claims, int images);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
