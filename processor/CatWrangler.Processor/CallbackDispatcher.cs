using CatWrangler.Core.Pipeline;
using CatWrangler.Core.Ports;

namespace CatWrangler.Processor;

/// <summary>
/// Runs callback deliveries on their own bounded pool, so a slow receiver never holds a worker loop that classification
/// needs. A callback job is handed to the pool and left in the queue with a later visibility (<see cref="HandOffGuard"/>):
/// if the process dies mid-delivery the job comes back and delivers; otherwise it finds its attempt recorded and completes.
/// When the pool or the receiver's share of it (<see cref="CallbackOptions.MaxConcurrentPerDestination"/>) is full, the
/// job waits in the queue (<see cref="BusyDelay"/>), never in memory.
/// </summary>
public sealed partial class CallbackDispatcher(
    IScanStore scans,
    CallbackSender sender,
    CallbackOptions options,
    ILogger<CallbackDispatcher> logger) : IDisposable
{
    /// <summary>Longer than a delivery can take (the transport's 10 s timeout), so the job reappears only if the process died.</summary>
    public static readonly TimeSpan HandOffGuard = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan BusyDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, int> _inFlightByDestination = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string ScanId, int Attempt), byte> _running = new();
    private int _inFlight;

    /// <summary>Deliveries running now (for tests and diagnostics).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary><paramref name="inner"/> for every job but callbacks, which go to the pool.</summary>
    public WorkItemHandler Wrap(WorkItemHandler inner) =>
        (item, receiveCount, cancellationToken) => item.Kind == WorkKind.Callback ? DispatchAsync(item, cancellationToken) : inner(item, receiveCount, cancellationToken);

    public async Task<WorkOutcome> DispatchAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var scan = await scans.GetAsync(item.ScanId, cancellationToken);
        if (scan?.Source.Api?.CallbackUrl is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            // Nothing to send: the sender records or ignores it without any network.
            return await sender.DeliverAsync(item, cancellationToken);
        }

        var destination = uri.Scheme + "://" + uri.Authority;
        if (!_running.TryAdd((item.ScanId, item.DeliveryAttempt), 0))
        {
            // The same attempt is already being delivered (a repeated job): it comes back after the guard and finds it recorded.
            return new WorkOutcome.RetryLater(HandOffGuard, "This attempt is already being delivered.");
        }

        if (!TryTakeSlot(destination))
        {
            _running.TryRemove((item.ScanId, item.DeliveryAttempt), out _);
            return new WorkOutcome.RetryLater(BusyDelay, "The callback pool is busy.");
        }

        _ = Task.Run(() => RunAsync(item, destination), CancellationToken.None);
        return new WorkOutcome.RetryLater(HandOffGuard, "Handed to the callback pool.");
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(WorkItem item, string destination)
    {
        try
        {
            await sender.DeliverAsync(item, _stopping.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // The job is still in the queue and comes back after HandOffGuard.
            LogDeliveryError(logger, e, item.ScanId, item.DeliveryAttempt);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the job comes back after HandOffGuard.
        }
        finally
        {
            ReleaseSlot(destination);
            _running.TryRemove((item.ScanId, item.DeliveryAttempt), out _);
        }
    }

    private bool TryTakeSlot(string destination)
    {
        lock (_inFlightByDestination)
        {
            var forDestination = _inFlightByDestination.GetValueOrDefault(destination);
            if (_inFlight >= Math.Max(1, options.MaxConcurrentDeliveries) || forDestination >= Math.Max(1, options.MaxConcurrentPerDestination))
            {
                return false;
            }

            _inFlightByDestination[destination] = forDestination + 1;
            _inFlight++;
            return true;
        }
    }

    private void ReleaseSlot(string destination)
    {
        lock (_inFlightByDestination)
        {
            if (--_inFlightByDestination[destination] == 0)
            {
                _inFlightByDestination.Remove(destination);
            }

            _inFlight--;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Callback delivery for scan {ScanId} attempt {Attempt} failed to run; its job retries")]
    private static partial void LogDeliveryError(ILogger logger, Exception exception, string scanId, int attempt);
}
