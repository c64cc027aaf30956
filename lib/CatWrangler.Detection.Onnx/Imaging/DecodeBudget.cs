using System.Threading.RateLimiting;
using CatWrangler.Core.Images;

namespace CatWrangler.Detection.Onnx.Imaging;

/// <summary>
/// The process-wide allowance of decode memory (<see cref="ImageLimits.DecodeBudgetBytes"/>): each decode reserves what it
/// will allocate before allocating it, and waits, first come first served, while the others hold too much.
/// One permit of the underlying limiter is one KiB, so budgets up to 2 TiB fit its int permits.
/// </summary>
public sealed class DecodeBudget : IDisposable
{
    private const int BytesPerPermit = 1024;
    private readonly ConcurrencyLimiter limiter;
    private long reservedTotal;

    public DecodeBudget(ImageLimits limits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.DecodeBudgetBytes, limits.MaxDecodeBytes, nameof(limits.DecodeBudgetBytes));
        CapacityBytes = limits.DecodeBudgetBytes;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Permits(CapacityBytes),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Raised with the requested byte count when a decode has to wait for memory held by others.</summary>
    public event Action<long>? Waiting;

    public long CapacityBytes { get; }

    /// <summary>Bytes currently reserved by running decodes.</summary>
    public long InUseBytes => (long)(Permits(CapacityBytes) - (limiter.GetStatistics()?.CurrentAvailablePermits ?? 0)) * BytesPerPermit;

    /// <summary>Total bytes ever reserved (for tests and diagnostics: shows whether a code path decoded at all).</summary>
    public long ReservedBytesTotal => Interlocked.Read(ref reservedTotal);

    /// <summary>Blocks until <paramref name="bytes"/> fit, then holds them until the returned lease is disposed.</summary>
    public IDisposable Reserve(long bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, CapacityBytes);
        var permits = Permits(bytes);
        var lease = limiter.AttemptAcquire(permits);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            Waiting?.Invoke(bytes);
            lease = limiter.AcquireAsync(permits, cancellationToken).AsTask().GetAwaiter().GetResult();
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                throw new InvalidOperationException("The decode memory budget refused a reservation it should queue.");
            }
        }

        Interlocked.Add(ref reservedTotal, bytes);
        return lease;
    }

    public void Dispose() => limiter.Dispose();

    private static int Permits(long bytes) => (int)Math.Max(1, (bytes + BytesPerPermit - 1) / BytesPerPermit);
}
