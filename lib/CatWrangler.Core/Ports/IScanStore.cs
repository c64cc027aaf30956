using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

/// <summary>Port: durable scan records plus the idempotency keys that guard their creation.</summary>
public interface IScanStore
{
    /// <summary>Creates the record; false when a scan with this id exists already.</summary>
    Task<bool> TryCreateAsync(Scan scan, CancellationToken cancellationToken);

    Task<Scan?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the record (last writer wins; every stage is idempotent).</summary>
    Task SaveAsync(Scan scan, CancellationToken cancellationToken);

    /// <summary>Most recent first.</summary>
    Task<IReadOnlyList<Scan>> ListRecentAsync(ScanListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically claims <paramref name="key"/> within <paramref name="scope"/> for <paramref name="scanId"/>.
    /// Used for API <c>webhook-id</c>s and Slack event ids / (channel, ts, file) triples.
    /// </summary>
    Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, string scanId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
