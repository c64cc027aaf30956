namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record SlackShare
{
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
}
