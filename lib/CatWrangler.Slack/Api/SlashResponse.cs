namespace CatWrangler.Slack.Api;

/// <summary>A slash-command answer, inline or through <c>response_url</c>.</summary>
public sealed record SlashResponse(string Text, string ResponseType = "ephemeral", bool? ReplaceOriginal = null);
