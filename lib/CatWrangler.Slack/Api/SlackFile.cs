namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record SlackFile
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Mimetype { get; init; }
    public long? Size { get; init; }
    public string? UrlPrivateDownload { get; init; }
    public SlackFileShares? Shares { get; init; }
}
