using System.Text.Json.Serialization;
using CatWrangler.Slack.Commands;

namespace CatWrangler.Slack.Api;

/// <summary>Source-generated metadata for the Slack payloads (no reflection: the bot runs as Native AOT); settings come from <see cref="SlackJson.Options"/>.</summary>
[JsonSerializable(typeof(SlackEnvelope))]
[JsonSerializable(typeof(SlashCommand))]
[JsonSerializable(typeof(SlashResponse))]
[JsonSerializable(typeof(SlackResponse))]
[JsonSerializable(typeof(PostMessageRequest))]
[JsonSerializable(typeof(PostMessageResponse))]
[JsonSerializable(typeof(PostEphemeralRequest))]
[JsonSerializable(typeof(ReactionRequest))]
[JsonSerializable(typeof(FilesInfoResponse))]
internal sealed partial class SlackJsonContext : JsonSerializerContext;
