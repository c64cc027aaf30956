using System.Text.Json;
using CatWrangler.Slack.Api;

namespace CatWrangler.Slack.Commands;

/// <summary>The fields of a slash-command request this bot reads; also the payload of its deferred-answer work item.</summary>
public sealed record SlashCommand(string TeamId, string ChannelId, string UserId, string Text, Uri? ResponseUrl)
{
    public string ToPayload() => JsonSerializer.Serialize(this, SlackJson.TypeInfo<SlashCommand>());

    /// <summary>The command, or null when <paramref name="payload"/> is not one with a response URL (nothing could answer it).</summary>
    public static SlashCommand? FromPayload(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return null;
        }

        try
        {
            var command = JsonSerializer.Deserialize(payload, SlackJson.TypeInfo<SlashCommand>());
            return command is { ResponseUrl: not null, ChannelId.Length: > 0, UserId.Length: > 0, TeamId: not null, Text: not null } ? command : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
