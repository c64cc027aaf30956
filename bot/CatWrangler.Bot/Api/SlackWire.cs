using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatWrangler.Bot.Api;

// Slack's wire shapes, only the fields this bot reads or writes. They never leave bot/.

/// <summary>JSON settings for Slack payloads (snake_case, nulls omitted).</summary>
internal static class SlackJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>The outer Events API request.</summary>
internal sealed record SlackEnvelope
{
    public string? Type { get; init; }
    public string? Challenge { get; init; }
    public string? TeamId { get; init; }
    public string? EventId { get; init; }
    public SlackEvent? Event { get; init; }
    public IReadOnlyList<SlackAuthorization>? Authorizations { get; init; }
}

internal sealed record SlackAuthorization
{
    public string? UserId { get; init; }
    public bool IsBot { get; init; }
}

/// <summary>Inner event: a <c>message</c> (subtype <c>file_share</c>) or a <c>file_shared</c> event.</summary>
internal sealed record SlackEvent
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

internal sealed record SlackFile
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Mimetype { get; init; }
    public long? Size { get; init; }
    public string? UrlPrivateDownload { get; init; }
    public SlackFileShares? Shares { get; init; }
}

internal sealed record SlackFileShares
{
    public IReadOnlyDictionary<string, IReadOnlyList<SlackShare>>? Public { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<SlackShare>>? Private { get; init; }

    /// <summary>The first share of the file in <paramref name="channel"/>, public or private.</summary>
    public SlackShare? In(string channel)
        => (Public?.GetValueOrDefault(channel) ?? Private?.GetValueOrDefault(channel))?.FirstOrDefault();
}

internal sealed record SlackShare
{
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
}

/// <summary>Every Web API response carries <c>ok</c> and, when false, <c>error</c>.</summary>
internal record SlackResponse
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
}

internal sealed record FilesInfoResponse : SlackResponse
{
    public SlackFile? File { get; init; }
}

internal sealed record PostMessageResponse : SlackResponse
{
    public string? Ts { get; init; }
}

internal sealed record ConnectionsOpenResponse : SlackResponse
{
    /// <summary>The Socket Mode WebSocket URL (<c>wss://…</c>), good for one connection.</summary>
    public Uri? Url { get; init; }
}

internal sealed record PostMessageRequest(string Channel, string Text, string? ThreadTs = null);

internal sealed record PostEphemeralRequest(string Channel, string User, string Text);

internal sealed record ReactionRequest(string Channel, string Timestamp, string Name);

/// <summary>A slash-command answer, inline or through <c>response_url</c>.</summary>
internal sealed record SlashResponse(string Text, string ResponseType = "ephemeral", bool? ReplaceOriginal = null);
