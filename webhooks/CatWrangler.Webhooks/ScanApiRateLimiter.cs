using System.Threading.RateLimiting;

namespace CatWrangler.Webhooks;

/// <summary>A token bucket per authenticated-looking client id (only ids of known clients get a bucket).</summary>
public sealed class ScanApiRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ScanApiRateLimiter(ScanApiOptions options)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.Burst),
            TokensPerPeriod = Math.Max(1, options.RequestsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(clientId => RateLimitPartition.GetTokenBucketLimiter(clientId, _ => bucket));
    }

    /// <summary>Takes one permit; when none is left, says how long to wait.</summary>
    public bool TryAcquire(string clientId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(clientId);
        retryAfter = lease.IsAcquired || !lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? TimeSpan.FromSeconds(1) : wait;
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
