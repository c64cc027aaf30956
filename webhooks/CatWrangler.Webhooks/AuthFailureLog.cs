using System.Threading.RateLimiting;

namespace CatWrangler.Webhooks;

/// <summary>
/// The warning for a request that failed authentication, at most <see cref="LinesPerMinute"/> a minute: anyone can send
/// such requests (with any client id), and an unbounded log is a cost they could impose. Suppressed lines are counted.
/// </summary>
public sealed class AuthFailureLog(ILogger<AuthFailureLog> logger) : IDisposable
{
    public const int LinesPerMinute = 20;

    private readonly FixedWindowRateLimiter _lines = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = LinesPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private long _suppressed;

    public void Write(string clientId, string reason)
    {
        using var lease = _lines.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _suppressed);
            return;
        }

        Log.AuthenticationFailed(logger, clientId, reason, Interlocked.Exchange(ref _suppressed, 0));
    }

    public void Dispose() => _lines.Dispose();
}
