namespace CatWrangler.Core.Scans;

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
