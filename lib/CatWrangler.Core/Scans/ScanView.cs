
namespace CatWrangler.Core.Scans;

/// <summary>A scan as the API shows it to its owner: no storage keys, debug data only for the debug scope.</summary>
public sealed record ScanView
{
    public required string Id { get; init; }
    public required ScanStatus Status { get; init; }
    public string? Reference { get; init; }
    public string? CallbackUrl { get; init; }
    public ImageView? Image { get; init; }
    public Verdict? Verdict { get; init; }
    public ScanError? Error { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public int Attempts { get; init; }
    public IReadOnlyList<DeliveryAttempt>? Deliveries { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public ScanDebug? Debug { get; init; }

    public static ScanView From(Scan scan, bool includeDebug) => new()
    {
        Id = scan.Id,
        Status = scan.Status,
        Reference = scan.Source.Api?.Reference,
        CallbackUrl = scan.Source.Api?.CallbackUrl,
        Image = scan.Image is { } image ? new ImageView(image.Sha256, image.ContentType, image.Bytes, image.Width, image.Height) : null,
        Verdict = scan.Verdict,
        Error = scan.Error,
        ReceivedAt = scan.ReceivedAt,
        StartedAt = scan.StartedAt,
        CompletedAt = scan.CompletedAt,
        Attempts = scan.Attempts,
        Deliveries = scan.Deliveries.Count > 0 ? scan.Deliveries : null,
        ExpiresAt = scan.ExpiresAt,
        Debug = includeDebug ? scan.Debug : null,
    };
}
