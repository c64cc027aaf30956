namespace CatWrangler.Slack.Api;

/// <summary>Slack answered <c>"ok": false</c> (or an unexpected HTTP status) for <see cref="Method"/>.</summary>
public sealed class SlackApiException(string method, string error)
    : Exception($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;

    /// <summary>Slack's error code, e.g. <c>channel_not_found</c>, <c>invalid_auth</c>, <c>already_reacted</c>.</summary>
    public string Error { get; } = error;
}
