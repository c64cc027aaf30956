namespace CatWrangler.Core.Scans;

/// <summary>One request to answer "is there a cat in this image?", from acceptance to a terminal status.</summary>
public sealed record Scan
{
    /// <summary>Sortable id (UUIDv7, "N" format is not used: the canonical 8-4-4-4-12 form).</summary>
    public required string Id { get; init; }
    public required ScanStatus Status { get; init; }
    public required ScanSource Source { get; init; }
    public ImageInfo? Image { get; init; }
    public Verdict? Verdict { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>How many times processing was attempted.</summary>
    public int Attempts { get; init; }
    public ScanError? Error { get; init; }
    /// <summary>Power-user data: timings, raw scores, attempt log. Never shown without the debug scope.</summary>
    public ScanDebug Debug { get; init; } = new();
    /// <summary>Outbound callback deliveries (API scans with a callback URL).</summary>
    public IReadOnlyList<DeliveryAttempt> Deliveries { get; init; } = [];
    /// <summary>Retention: the record and its image may be deleted after this instant.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public bool IsTerminal => Status is ScanStatus.Done or ScanStatus.Failed;

    public static string NewId() => Guid.CreateVersion7().ToString();
}
