namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record PostMessageResponse : SlackResponse
{
    public string? Ts { get; init; }
}
