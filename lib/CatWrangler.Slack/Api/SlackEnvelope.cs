namespace CatWrangler.Slack.Api;

/// <summary>The outer Events API request.</summary>
public sealed record SlackEnvelope
{
    public string? Type { get; init; }
    public string? Challenge { get; init; }
    public string? TeamId { get; init; }
    public string? EventId { get; init; }
    public SlackEvent? Event { get; init; }
    public IReadOnlyList<SlackAuthorization>? Authorizations { get; init; }
}
