namespace CatWrangler.Bot.Events;

/// <summary>The answer to Slack's <c>url_verification</c> handshake: <c>{"challenge": "…"}</c>.</summary>
internal sealed record UrlVerificationAnswer(string Challenge);
