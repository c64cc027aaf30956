using System.Text.Json;

namespace CatWrangler.Bot.SocketMode;

// Socket Mode's frames, only the fields this bot reads or writes (snake_case through SlackJson.Options).

/// <summary>
/// One text frame from Slack: <c>hello</c>, <c>disconnect</c>, or an envelope (<c>events_api</c>, <c>slash_commands</c>,
/// <c>interactive</c>) whose <see cref="Payload"/> is what the HTTP endpoint would have received.
/// </summary>
internal sealed record SocketModeFrame
{
    public const string Hello = "hello";
    public const string Disconnect = "disconnect";
    public const string EventsApi = "events_api";
    public const string SlashCommands = "slash_commands";
    public const string Interactive = "interactive";

    public string? Type { get; init; }

    public string? EnvelopeId { get; init; }

    public JsonElement Payload { get; init; }

    public bool AcceptsResponsePayload { get; init; }

    /// <summary>0 on the first delivery; Slack redelivers an envelope that was not acknowledged in time.</summary>
    public int RetryAttempt { get; init; }

    public string? RetryReason { get; init; }

    /// <summary><c>disconnect</c>: <c>refresh_requested</c>, <c>warning</c>, <c>link_disabled</c>.</summary>
    public string? Reason { get; init; }

    /// <summary><c>hello</c>: how many connections the app has open now (this one included).</summary>
    public int? NumConnections { get; init; }

    public SocketModeDebugInfo? DebugInfo { get; init; }
}

internal sealed record SocketModeDebugInfo
{
    public string? Host { get; init; }

    /// <summary>Seconds Slack means to keep this connection before it asks for a refresh.</summary>
    public int? ApproximateConnectionTime { get; init; }
}

/// <summary>The acknowledgement of one envelope; <see cref="Payload"/> is the immediate answer where Slack accepts one.</summary>
internal sealed record SocketModeAck(string EnvelopeId, object? Payload = null);
