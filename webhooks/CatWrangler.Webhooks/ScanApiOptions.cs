using System.ComponentModel.DataAnnotations;
using CatWrangler.Core;

namespace CatWrangler.Webhooks;

/// <summary>Section <c>CatWrangler:Api</c>: knobs of the scan API that are not image limits.</summary>
public sealed record ScanApiOptions
{
    public const string Section = "CatWrangler:Api";

    /// <summary>Accepted distance between <c>webhook-timestamp</c> and the server clock, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan TimestampTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-client token bucket: sustained requests per second.</summary>
    [Range(1, int.MaxValue)]
    public int RequestsPerSecond { get; init; } = 200;

    /// <summary>Per-client token bucket size (burst).</summary>
    [Range(1, int.MaxValue)]
    public int Burst { get; init; } = 400;

    /// <summary>Room for multipart boundaries and form fields on top of the image limit.</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MultipartOverheadBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Largest image sent inline (raw, multipart or JSON base64); larger ones go through <c>POST /v1/uploads</c>. Null takes
    /// the platform's: on <c>aws</c> <see cref="AwsInlineMaxBytes"/>, locally the image limit (<c>CatWrangler:Limits:MaxBytes</c>).
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long? InlineMaxBytes { get; init; }

    /// <summary>API Gateway + Lambda carry at most 6 MB per event, binary bodies as base64 (4/3), less headers and envelope.</summary>
    public const long AwsInlineMaxBytes = 4_400_000;

    /// <summary>
    /// Request-body bytes all requests together may hold before their signature is verified; past it a request gets
    /// <c>503</c> with <c>Retry-After</c> before its body is read.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long PreAuthBodyBudgetBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>The share of <see cref="PreAuthBodyBudgetBytes"/> one client id may hold.</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long PreAuthBodyBytesPerClient { get; init; } = 48L * 1024 * 1024;

    /// <summary>The inline image limit in bytes under <paramref name="imageMaxBytes"/>.</summary>
    public long InlineImageBytes(long imageMaxBytes) => Math.Min(imageMaxBytes, InlineMaxBytes ?? imageMaxBytes);

    /// <summary>These options with <see cref="InlineMaxBytes"/> defaulted for <paramref name="platform"/>.</summary>
    public ScanApiOptions ForPlatform(CatWranglerPlatform platform)
        => InlineMaxBytes is null && platform == CatWranglerPlatform.Aws ? this with { InlineMaxBytes = AwsInlineMaxBytes } : this;
}
