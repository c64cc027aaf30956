namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record SlackAuthorization
{
    public string? UserId { get; init; }
    public bool IsBot { get; init; }
}
