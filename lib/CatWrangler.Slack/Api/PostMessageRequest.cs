namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record PostMessageRequest(string Channel, string Text, string? ThreadTs = null);
