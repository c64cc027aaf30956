using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

/// <summary>
/// Port: side effects when a scan is accepted or reaches a terminal status (Slack thread reply, callback job).
/// Each notifier decides whether a scan is its concern (by <see cref="Scan.Source"/>) and must be idempotent.
/// </summary>
public interface IScanNotifier
{
    Task OnAcceptedAsync(Scan scan, CancellationToken cancellationToken) => Task.CompletedTask;

    Task OnCompletedAsync(Scan scan, CancellationToken cancellationToken);
}
