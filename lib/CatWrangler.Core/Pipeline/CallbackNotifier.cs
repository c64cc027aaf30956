using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Pipeline;

/// <summary>Starts the callback delivery of a finished API scan that named a callback URL.</summary>
public sealed class CallbackNotifier(IWorkQueue queue) : IScanNotifier
{
    public async Task OnCompletedAsync(Scan scan, CancellationToken cancellationToken)
    {
        // Deliveries already recorded mean a chain is under way; a crash before the first attempt repeats this (at-least-once).
        if (scan.Source.Api is { CallbackUrl: { Length: > 0 } } && scan.Deliveries.Count == 0)
        {
            await queue.EnqueueAsync(new WorkItem(scan.Id, WorkKind.Callback, DeliveryAttempt: 1), TimeSpan.Zero, cancellationToken);
        }
    }
}
