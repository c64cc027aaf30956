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

public enum ScanStatus { Queued, Processing, Done, Failed }

/// <summary>Where a scan came from. Exactly one of <see cref="Slack"/> and <see cref="Api"/> is set.</summary>
public sealed record ScanSource
{
    public required ScanSourceKind Kind { get; init; }
    public SlackOrigin? Slack { get; init; }
    public ApiOrigin? Api { get; init; }
    /// <summary>Origin of an offline/local scan (the CLI); both <see cref="Slack"/> and <see cref="Api"/> are null.</summary>
    public static ScanSource FromApi(ApiOrigin api) => new() { Kind = ScanSourceKind.Api, Api = api };
    public static ScanSource FromSlack(SlackOrigin slack) => new() { Kind = ScanSourceKind.Slack, Slack = slack };
}

public enum ScanSourceKind { Api, Slack }

/// <param name="MessageTs">The message carrying the file; null until found for a file seen only in a <c>file_shared</c> event.</param>
public sealed record SlackOrigin(
    string TeamId,
    string ChannelId,
    string UserId,
    string FileId,
    string? MessageTs,
    string? ThreadTs,
    string? EventId,
    string? FileName = null,
    string? MimeType = null,
    long? FileSize = null);

/// <param name="ImageUrl">Where the processor fetches the image from, for a scan submitted by URL (null once uploaded bytes are stored).</param>
public sealed record ApiOrigin(string ClientId, string? CallbackUrl, string? Reference, bool DebugRequested = false, string? ImageUrl = null);

/// <summary>The stored image: content-addressed by SHA-256.</summary>
public sealed record ImageInfo(string Sha256, string ContentType, long Bytes, int Width, int Height, string StorageKey);

/// <summary>The answer. Box coordinates are pixels of the original (orientation-corrected) image.</summary>
public sealed record Verdict(
    bool IsCat,
    double Confidence,
    IReadOnlyList<BoundingBox> Boxes,
    IReadOnlyList<LabelScore> TopLabels,
    string DetectorId,
    string ModelVersion,
    double Threshold);

public sealed record BoundingBox(double X, double Y, double Width, double Height, double Score);

public sealed record LabelScore(string Label, double Score);

/// <summary>A machine-readable code and a sentence a user can read.</summary>
public sealed record ScanError(string Code, string Message);

public sealed record ScanDebug
{
    /// <summary>Per-stage timings in milliseconds (e.g. download, decode, preprocess, inference, total).</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();
    /// <summary>E.g. "512x512 letterbox".</summary>
    public string? ModelInput { get; init; }
    /// <summary>Raw top-k class scores before thresholding.</summary>
    public IReadOnlyList<LabelScore> RawTopScores { get; init; } = [];
    /// <summary>
    /// The one cap on a detector's raw response (characters), applied wherever debug data is made or read back, so scan
    /// records stay small (a DynamoDB item holds at most 400 KB).
    /// </summary>
    public const int MaxDetectorRawChars = 16 * 1024;

    /// <summary>Marks a raw response cut at <see cref="MaxDetectorRawChars"/>.</summary>
    public const string TruncatedMarker = "…[truncated]";

    /// <summary>A detector's raw response (e.g. Rekognition JSON), cut to <see cref="MaxDetectorRawChars"/>.</summary>
    public string? DetectorRaw
    {
        get;
        init => field = value is { Length: > MaxDetectorRawChars } ? string.Concat(value.AsSpan(0, MaxDetectorRawChars), TruncatedMarker) : value;
    }
    public IReadOnlyList<AttemptRecord> AttemptLog { get; init; } = [];
}

public sealed record AttemptRecord(int Attempt, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Error);

public sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, int? StatusCode, string Outcome, string? Error);
