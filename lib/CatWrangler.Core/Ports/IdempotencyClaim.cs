using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

public abstract record IdempotencyClaim
{
    private IdempotencyClaim() { }

    /// <summary>The key was free and now belongs to the caller's scan.</summary>
    public sealed record Claimed : IdempotencyClaim;

    /// <summary>The key was taken earlier; <see cref="SameFingerprint"/> tells whether it was for the same content.</summary>
    public sealed record AlreadyClaimed(string ScanId, bool SameFingerprint) : IdempotencyClaim;
}
