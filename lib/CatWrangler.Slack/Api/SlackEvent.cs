namespace CatWrangler.Slack.Api;

/// <summary>Inner event: a <c>message</c> (subtype <c>file_share</c>) or a <c>file_shared</c> event.</summary>
public sealed record SlackEvent
{
    public string? Type { get; init; }
    public string? Subtype { get; init; }
    public string? Channel { get; init; }
    public string? User { get; init; }
    public string? BotId { get; init; }
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
    public IReadOnlyList<SlackFile>? Files { get; init; }

    // file_shared
    public string? FileId { get; init; }
    public string? UserId { get; init; }
    public string? ChannelId { get; init; }
}
