using CatWrangler.Adapters.Aws;
using CatWrangler.Core.Pipeline;

namespace CatWrangler.Processor.Sqs;

/// <summary>
/// The heartbeat of one SQS batch: at once and then every <see cref="ProcessorOptions.HeartbeatInterval"/> it sets the
/// visibility of every record still held to <see cref="ProcessorOptions.LeaseDuration"/> (<c>ChangeMessageVisibility</c>).
/// While the batch runs nobody else receives its records, however long a job takes; when the process dies the records
/// reappear within one lease instead of the queue's long visibility timeout. Records that finished successfully stay
/// held until the batch is answered (Lambda deletes them after the response); a failed record is released with the
/// visibility its retry asks for.
/// </summary>
public sealed partial class SqsBatchLease : IAsyncDisposable
{
    private readonly SqsWorkQueue _queue;
    private readonly ProcessorOptions _options;
    private readonly ILogger _logger;
    private readonly HashSet<string> _held;
    // Serialises renewals with releases, so a renewal never overwrites the visibility a release just set.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;

    internal SqsBatchLease(SqsWorkQueue queue, IEnumerable<string?> receiptHandles, ProcessorOptions options, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        _options = options;
        _logger = logger;
        _held = new HashSet<string>(receiptHandles.OfType<string>().Where(h => h.Length > 0), StringComparer.Ordinal);
        _heartbeat = options.HeartbeatInterval > TimeSpan.Zero ? BeatAsync(time) : Task.CompletedTask;
    }

    /// <summary>
    /// Stops renewing <paramref name="receiptHandle"/>; with <paramref name="hideFor"/> the record then stays invisible for
    /// that long (its retry delay), otherwise it reappears when its current lease runs out.
    /// </summary>
    public async Task ReleaseAsync(string? receiptHandle, TimeSpan? hideFor, CancellationToken cancellationToken)
    {
        if (receiptHandle is not { Length: > 0 })
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _held.Remove(receiptHandle);
        }
        finally
        {
            _gate.Release();
        }

        if (hideFor is { } delay)
        {
            await _queue.ChangeVisibilityAsync(receiptHandle, delay, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeat;
        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task BeatAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, time);
        try
        {
            do
            {
                await RenewAsync();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync()
    {
        await _gate.WaitAsync(_stop.Token);
        try
        {
            await Task.WhenAll(_held.Select(RenewOneAsync));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RenewOneAsync(string receiptHandle)
    {
        try
        {
            await _queue.ChangeVisibilityAsync(receiptHandle, _options.LeaseDuration, _stop.Token);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // One missed renewal is harmless (the interval is a fraction of the lease); the next beat tries again.
            LogRenewFailed(_logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of an in-flight SQS message failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
