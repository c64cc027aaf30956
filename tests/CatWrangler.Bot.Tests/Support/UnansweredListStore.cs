using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.TestSupport;

namespace CatWrangler.Bot.Tests.Support;

/// <summary>
/// A store whose channel listing never answers until it is cancelled, standing in for a database slower than any budget:
/// a command that lists can only finish by being handed to the queue.
/// </summary>
internal sealed class UnansweredListStore(IScanStore inner) : IScanStore
{
    public Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken) => inner.TryCreateAsync(scan, cancellationToken);

    public Task<Scan?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task SaveAsync(Scan scan, CancellationToken cancellationToken) => inner.SaveAsync(scan, cancellationToken);

    public async Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken)
    {
        await UntilCancelled.WaitAsync(cancellationToken);
        return await inner.ListRecentAsync(query, cancellationToken);
    }

    public Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        => inner.ClaimAsync(scope, key, fingerprint, scanId, expiresAt, cancellationToken);
}
