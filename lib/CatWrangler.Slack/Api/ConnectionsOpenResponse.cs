namespace CatWrangler.Slack.Api;

/// <summary>The answer of <c>apps.connections.open</c> (Socket Mode).</summary>
public sealed record ConnectionsOpenResponse : SlackResponse
{
    /// <summary>The Socket Mode WebSocket URL (<c>wss://…</c>), good for one connection.</summary>
    public Uri? Url { get; init; }
}
