namespace CatWrangler.Slack.Api;

/// <summary>Every Web API response carries <c>ok</c> and, when false, <c>error</c>.</summary>
public record SlackResponse
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
}
