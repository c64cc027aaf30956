namespace CatWrangler.Slack.Api;

/// <summary>Slack wire shape (only the fields CatWrangler reads or writes).</summary>
public sealed record ReactionRequest(string Channel, string Timestamp, string Name);
