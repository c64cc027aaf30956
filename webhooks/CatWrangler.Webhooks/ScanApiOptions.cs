namespace CatWrangler.Webhooks;

/// <summary>Section <c>CatWrangler:Api</c>: knobs of the scan API that are not image limits.</summary>
public sealed record ScanApiOptions
{
    public const string Section = "CatWrangler:Api";

    /// <summary>Accepted distance between <c>webhook-timestamp</c> and the server clock, either way.</summary>
    public TimeSpan TimestampTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-client token bucket: sustained requests per second.</summary>
    public int RequestsPerSecond { get; init; } = 200;

    /// <summary>Per-client token bucket size (burst).</summary>
    public int Burst { get; init; } = 400;

    /// <summary>Room for multipart boundaries and form fields on top of the image limit.</summary>
    public long MultipartOverheadBytes { get; init; } = 64 * 1024;

    /// <summary>How long client secrets read from the secret store are reused.</summary>
    public TimeSpan SecretCacheDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Request-body bytes all requests together may hold before their signature is verified; past it a request gets
    /// <c>503</c> with <c>Retry-After</c> before its body is read.
    /// </summary>
    public long PreAuthBodyBudgetBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>The share of <see cref="PreAuthBodyBudgetBytes"/> one client id may hold.</summary>
    public long PreAuthBodyBytesPerClient { get; init; } = 48L * 1024 * 1024;
}
